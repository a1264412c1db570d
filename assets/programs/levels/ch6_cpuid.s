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

puts:
    movb eax, [esi]
    test eax, eax
    je puts_done
    out 0xE9, eax
    inc esi
    jmp puts
puts_done:
    ret

print_dec:
    xor esi, esi
pd_divide:
    mov ecx, 10
    xor edx, edx
    div ecx
    push edx
    inc esi
    test eax, eax
    jne pd_divide
pd_print:
    pop eax
    add eax, '0'
    out 0xE9, eax
    dec esi
    jne pd_print
    ret

s_sum: .asciz "sum "
