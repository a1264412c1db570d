; ch4_calls.s — a guest kernel routine called many times: call, a little work, ret.
;
; Expected output: "checksum 90300", exit code 0.

.equ N, 300

_start:
    mov esp, 0x80000
    xor ebx, ebx
    mov ecx, N
again:
    call mix
    loop again
    mov esi, s_sum
    call puts
    mov eax, ebx
    call print_dec
    mov eax, 10
report:
    out 0xE9, eax               ; slot `report`: privileged
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

mix:                            ; ebx += 2 * ecx
step:
    add ebx, ecx                ; slot `step`: innocuous
    add ebx, ecx
back:
    ret                         ; slot `back`: innocuous, but an indirect jump

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

s_sum: .asciz "checksum "
