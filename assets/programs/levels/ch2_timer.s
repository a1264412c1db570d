; ch2_timer.s — timer interrupts while the guest kernel computes.
;
; The kernel installs a timer handler in its IDT, starts the timer and computes.
; Every timer interrupt runs the handler, which counts the tick and returns with iret.
; Expected output: "sum 1125750, ticks 4", exit code 0 (the ticks fall at the same
; points of the guest's work in every mode: the guest's clock counts only its own work).

.equ N, 1500
.equ PERIOD, 800                ; cycles of guest work between timer interrupts
.equ VEC_TIMER, 32

_start:
    mov esp, 0x80000
    lidt [idtr]
    mov eax, PERIOD
    out 0x40, eax               ; start the timer
    sti
    xor ebx, ebx
    mov ecx, N
work:
crunch:
    add ebx, ecx                ; slot `crunch`: innocuous
    loop work
    cli
    xor eax, eax
    out 0x40, eax               ; stop the timer
    mov esi, s_sum
    call puts
    mov eax, ebx
    call print_dec
    mov esi, s_ticks
    call puts
    mov eax, [ticks]
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

timer_handler:
    push eax
    mov eax, [ticks]
tick:
    inc eax                     ; slot `tick`: innocuous
    mov [ticks], eax
    pop eax
    add esp, 4                  ; drop the error code
back:
    iret                        ; slot `back`: sensitive; under trap & emulate it traps anyway
                                ; (the frame returns to ring 0, more privileged than ring 1)

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

; Data on its own page: a write to a page of code would make a binary translator
; drop that page's translations (as it must for self-modifying code).
.align 4096
ticks:   .word 0
s_sum:   .asciz "sum "
s_ticks: .asciz ", ticks "
idtr:    .word idt, (VEC_TIMER + 1) * 8 - 1
.align 8
idt:     .zero VEC_TIMER * 8
         .word timer_handler, 1  ; present, DPL 0
