; ch3_sidt.s — a guest kernel asks the CPU where its interrupt table is (sidt), then
; installs its timer handler there.
;
; Expected output: "timer handler installed", "tick", exit code 0. If SIDT answers with
; an address that is not the kernel's own table, the kernel refuses to write there and
; panics (exit code 1).

.equ VEC_TIMER, 32
.equ PERIOD, 300
.equ GUEST_find, 0

_start:
    mov esp, 0x80000
load:
    lidt [idtr]                 ; slot `load`: privileged
find:
.if GUEST_find
    mov eax, idt                ; modified: the kernel remembers where it put its table
    mov [probe], eax
.else
    sidt [probe]                ; slot `find`: sensitive (sidt)
.endif
    mov ebx, [probe]            ; the IDT's base, as the CPU reported it
    cmp ebx, idt
    jne confused
    mov eax, timer_handler      ; install vector 32: handler, present
    mov [ebx + VEC_TIMER * 8], eax
    mov eax, 1
    mov [ebx + VEC_TIMER * 8 + 4], eax
    mov esi, s_installed
    call puts
    mov eax, PERIOD
    out 0x40, eax
    sti
    hlt                         ; wait for the first tick
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

confused:
    mov esi, s_panic
    call puts
    mov eax, 1
    out 0xF4, eax               ; power off, exit code 1

timer_handler:
    xor eax, eax
    out 0x40, eax               ; stop the timer
    mov esi, s_tick
    call puts
    add esp, 4
    iret

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

; Data on its own page: a write to a page of code would make a binary translator
; drop that page's translations (as it must for self-modifying code).
.align 4096
probe:       .word 0, 0
s_installed: .asciz "timer handler installed\n"
s_tick:      .asciz "tick\n"
s_panic:     .asciz "panic: SIDT says my IDT is somewhere else!\n"
idtr:        .word idt, (VEC_TIMER + 1) * 8 - 1
.align 8
idt:         .zero (VEC_TIMER + 1) * 8
