; console.s — printing in kernel mode (CPL 0): for a bare-metal `_start` program or for
; `kernel_main`. Every character goes to the console port 0xE9 with its own `out`
; (privileged: a user program at CPL 3 prints with print.s instead).
;
;   puts        esi = a zero-terminated string: print it
;               (changes eax; esi ends just past the string)
;   print_dec   eax = an unsigned number: print it in decimal
;               (changes eax, ecx, edx and esi)

; esi = a zero-terminated string: print it
puts:
    movb eax, [esi]
    test eax, eax
    je puts_done
    out 0xE9, eax
    inc esi
    jmp puts
puts_done:
    ret

; eax = a number: print it in decimal (digits come out last-first: push, then pop)
print_dec:
    xor esi, esi
pd_divide:
    mov ecx, 10
    xor edx, edx                ; div divides edx:eax
    div ecx                     ; eax = eax / 10, edx = the last digit
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
