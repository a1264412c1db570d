; ch11_storm.s — a network card raises an interrupt for every packet it receives.
;
; The kernel turns its local APIC on, lets packets arrive every INTERVAL cycles and works
; meanwhile; part of each round runs with interrupts off. The handler counts the packet and
; ends with an EOI, a write to the APIC's EOI register (MSR 0x80B, as in x86's x2APIC mode):
; until it comes, the APIC delivers no other interrupt.
; Expected output: "packets 120, work 35400", exit code 0 (the packets arrive at the same
; points of the guest's work in every mode: the guest's clock counts only its own work).

.equ PACKETS, 120
.equ INTERVAL, 300              ; cycles of guest work between two packets
.equ VEC_NIC, 33
.equ MSR_APIC_EOI, 0x80B
.equ MSR_APIC_SVR, 0x80F

_start:
    mov esp, 0x80000
    lidt [idtr]
    mov ecx, MSR_APIC_SVR
    mov eax, 0x1FF              ; bit 8: the APIC on; spurious vector 0xFF
    xor edx, edx
    wrmsr
    mov eax, INTERVAL
    out 0x50, eax               ; packets start arriving
    sti
    xor ebx, ebx
round:
    mov ecx, 10
busy:
    add ebx, 3                  ; work with interrupts on
    loop busy
masked:
    cli                         ; slot `masked`: a short critical section
    mov ecx, 10
critical:
    add ebx, 2
    loop critical
unmask:
    sti                         ; slot `unmask`: a packet that came meanwhile is taken now
    mov eax, [packets]
    cmp eax, PACKETS
    jb round
    cli
    xor eax, eax
    out 0x50, eax               ; no more packets
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

nic_handler:
    push eax
    push ecx
    push edx
    mov eax, [packets]
count:
    inc eax                     ; slot `count`: innocuous
    mov [packets], eax
    mov ecx, MSR_APIC_EOI
    xor eax, eax
    xor edx, edx
eoi:
    wrmsr                       ; slot `eoi`: end of interrupt
    pop edx
    pop ecx
    pop eax
    add esp, 4                  ; drop the error code
    iret

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

.align 4096
packets:   .word 0
s_packets: .asciz "packets "
s_work:    .asciz ", work "
idtr:      .word idt, (VEC_NIC + 1) * 8 - 1
.align 8
idt:       .zero VEC_NIC * 8
           .word nic_handler, 1  ; present, DPL 0
