; ch1_hot_loop.s — a hot loop and one line of output, in the guest kernel.
;
; The loop adds up 1..N (innocuous: the same result at any ring). Then the kernel
; prints the sum with `out` to the console port (privileged: ring 0 only).
; Expected output: "sum 45150", exit code 0.

.equ N, 300

_start:
    mov esp, 0x80000
    xor eax, eax
    mov ecx, N
again:
hot:
    add eax, ecx                ; slot `hot`: innocuous
    loop again
    mov esi, eax
    mov ebx, msg
say:
    movb eax, [ebx]
    test eax, eax
    je number
print:
    out 0xE9, eax               ; slot `print`: privileged
    inc ebx
    jmp say
number:
    mov eax, esi                ; print the sum in decimal
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

msg: .asciz "sum "
