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
    push esi
    push ecx
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
    pop ecx
    pop esi
    ret

s_sum: .asciz "checksum "
