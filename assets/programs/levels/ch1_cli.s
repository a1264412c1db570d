; ch1_cli.s — a guest kernel's critical section: cli, update a counter, sti.
;
; A kernel turns interrupts off (cli) around an update no interrupt may see half done,
; then on again (sti). Both are privileged: at ring 1 the CPU refuses them.
; Expected output: "count 50", exit code 0.

.equ N, 50

_start:
    mov esp, 0x80000
    mov ecx, N
section:
off:
    cli                         ; slot `off`: privileged
    mov eax, [counter]
bump:
    inc eax                     ; slot `bump`: innocuous
    mov [counter], eax
on:
    sti                         ; slot `on`: privileged
    loop section
    mov esi, msg
    call puts
    mov eax, [counter]
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

; Data on its own page: a write to a page of code would make a binary translator
; drop that page's translations (as it must for self-modifying code).
.align 4096
counter: .word 0
msg:     .asciz "count "
