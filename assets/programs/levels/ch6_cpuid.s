; ch6_cpuid.s — a guest kernel asks the CPU what it is (cpuid), then computes.
;
; Expected output: "sum 1125750", exit code 0.

.equ N, 1500

_start:
    mov esp, 0x80000
    mov edi, 4
ask:
    xor eax, eax
probe:
    cpuid                       ; slot `probe`: virtualization (cpuid)
    dec edi
    jne ask
    xor eax, eax
    mov ecx, N
again:
hot:
    add eax, ecx                ; slot `hot`: innocuous
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

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

s_sum: .asciz "sum "
