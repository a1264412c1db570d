; ch11_storm.s — a network card raises an interrupt for every packet it receives.
;
; The kernel turns its local APIC on, lets packets arrive every INTERVAL cycles and works
; meanwhile; part of each round runs with interrupts off. The handler counts the packet and
; ends with an EOI, a write to the APIC's EOI register (MSR 0x80B, as in x86's x2APIC mode):
; until it comes, the APIC delivers no other interrupt.
; Expected output: "packets 120, work 10800", exit code 0 (the packets arrive at the same
; points of the guest's work in every mode: the guest's clock counts only its own work).
;ko: ch11_storm.s — 네트워크 카드가 패킷을 받을 때마다 인터럽트를 겁니다.
;ko:
;ko: 커널은 로컬 APIC를 켜고, INTERVAL 사이클마다 패킷이 들어오게 한 뒤 그동안 일합니다.
;ko: 한 바퀴의 일부는 인터럽트를 끈 채로 돕니다. 핸들러는 패킷을 세고 EOI로 끝냅니다.
;ko: EOI는 APIC의 EOI 레지스터(x86 x2APIC 모드처럼 MSR 0x80B)에 쓰는 것이며, 이것이 오기
;ko: 전까지 APIC는 다른 인터럽트를 전달하지 않습니다.
;ko: 예상 출력: "packets 120, work 10800", 종료 코드 0. 게스트의 시계는 게스트 자신의
;ko: 작업만 세므로, 어느 모드에서든 패킷은 게스트 작업의 같은 지점에 도착합니다.

.equ PACKETS, 120
.equ INTERVAL, 300              ; cycles of guest work between two packets
                                ;ko: 두 패킷 사이의 게스트 작업 사이클 수
.equ VEC_NIC, 33
.equ MSR_APIC_EOI, 0x80B
.equ MSR_APIC_SVR, 0x80F

_start:
    mov esp, 0x80000
    lidt [idtr]
    mov ecx, MSR_APIC_SVR
    mov eax, 0x1FF              ; bit 8: the APIC on; spurious vector 0xFF
                                ;ko: 비트 8: APIC 켬, 가짜(spurious) 벡터 0xFF
    xor edx, edx
    wrmsr
    mov eax, INTERVAL
    out 0x50, eax               ; packets start arriving
                                ;ko: 패킷이 들어오기 시작함
    sti
    xor ebx, ebx
round:
    mov ecx, 10
busy:
    add ebx, 3                  ; work with interrupts on
                                ;ko: 인터럽트를 켠 채로 일함
    loop busy
masked:
    cli                         ; slot `masked`: a short critical section
                                ;ko: 슬롯 `masked`: 짧은 임계 구역
    mov ecx, 10
critical:
    add ebx, 2
    loop critical
unmask:
    sti                         ; slot `unmask`: a packet that came meanwhile is taken now
                                ;ko: 슬롯 `unmask`: 그사이 온 패킷을 지금 받음
    mov eax, [packets]
    cmp eax, PACKETS
    jb round
    cli
    xor eax, eax
    out 0x50, eax               ; no more packets
                                ;ko: 더 이상 패킷 없음
    mov esi, s_packets
    call puts
    mov eax, [packets]
    call print_dec
    mov esi, s_work
    call puts
    mov eax, ebx
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

nic_handler:
    push eax
    push ecx
    push edx
    mov eax, [packets]
count:
    inc eax                     ; slot `count`: innocuous
                                ;ko: 슬롯 `count`: 무해한 명령
    mov [packets], eax
    mov ecx, MSR_APIC_EOI
    xor eax, eax
    xor edx, edx
eoi:
    wrmsr                       ; slot `eoi`: end of interrupt
                                ;ko: 슬롯 `eoi`: 인터럽트 종료(EOI)
    pop edx
    pop ecx
    pop eax
    add esp, 4                  ; drop the error code
                                ;ko: 오류 코드 버리기
    iret

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

.align 4096
packets:   .word 0
s_packets: .asciz "packets "
s_work:    .asciz ", work "
idtr:      .word idt, (VEC_NIC + 1) * 8 - 1
.align 8
idt:       .zero VEC_NIC * 8
           .word nic_handler, 1  ; present, DPL 0
                                 ;ko: 존재함(present), DPL 0
