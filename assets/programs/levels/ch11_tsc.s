; ch11_tsc.s — a guest that times cpuid with rdtsc to find out whether it runs in a VM.
;
; cpuid is one of the instructions VT-x always makes exit. The program reads the time-stamp
; counter, runs cpuid PROBES times, reads it again, and calls what it measured a hypervisor
; when the probes took longer than LIMIT cycles (on bare metal they take about a tenth of it).
; Expected output: "8 cpuid: bare metal", exit code 0.
;ko: ch11_tsc.s — rdtsc로 cpuid에 걸리는 시간을 재서 자기가 VM 안에서 도는지 알아내려는 게스트.
;ko:
;ko: cpuid는 VT-x가 언제나 VM exit을 일으키는 명령 가운데 하나입니다. 프로그램은 타임스탬프
;ko: 카운터를 읽고, cpuid를 PROBES번 실행하고, 카운터를 다시 읽습니다. 걸린 시간이 LIMIT
;ko: 사이클보다 길면 하이퍼바이저가 있다고 판단합니다(베어 메탈에서는 그 10분의 1쯤 걸림).
;ko: 예상 출력: "8 cpuid: bare metal", 종료 코드 0.

.equ PROBES, 8
.equ LIMIT, 4000

_start:
    mov esp, 0x80000
start_clock:
    rdtsc                       ; slot `start_clock`: the time before
                                ;ko: 슬롯 `start_clock`: 재기 전의 시각
    mov esi, eax
    mov edi, PROBES
probe:
    xor eax, eax
ask:
    cpuid                       ; slot `ask`: exits under VT-x whatever the choice
                                ;ko: 슬롯 `ask`: 무엇을 고르든 VT-x에서는 VM exit
    dec edi
    jne probe
stop_clock:
    rdtsc                       ; slot `stop_clock`: the time after
                                ;ko: 슬롯 `stop_clock`: 잰 뒤의 시각
    sub eax, esi                ; the cycles the probes took, as the guest sees them
                                ;ko: 게스트가 보기에 측정에 걸린 사이클 수
    mov ebx, eax
    mov eax, PROBES
    call print_dec
    mov esi, s_cpuid
    call puts
    cmp ebx, LIMIT
    ja detected
    mov esi, s_bare
    call puts
    jmp done
detected:
    mov esi, s_vm
    call puts
done:
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

.align 4096
s_cpuid: .asciz " cpuid: "
s_bare:  .asciz "bare metal"
s_vm:    .asciz "a hypervisor is here"
