; ch6_cpuid.s — a guest kernel asks the CPU what it is (cpuid), then computes.
;
; Expected output: "sum 1125750", exit code 0.
;ko: ch6_cpuid.s — 게스트 커널이 CPU에게 정체를 묻고(cpuid), 그다음 계산합니다.
;ko:
;ko: 예상 출력: "sum 1125750", 종료 코드 0.

.equ N, 1500

_start:
    mov esp, 0x80000
    mov edi, 4
ask:
    xor eax, eax
probe:
    cpuid                       ; slot `probe`: virtualization (cpuid)
                                ;ko: 슬롯 `probe`: 가상화 명령(cpuid)
    dec edi
    jne ask
    xor eax, eax
    mov ecx, N
again:
hot:
    add eax, ecx                ; slot `hot`: innocuous
                                ;ko: 슬롯 `hot`: 무해한 명령
    loop again
    mov ebx, eax
    mov esi, s_sum
    call puts
    mov eax, ebx
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

s_sum: .asciz "sum "
