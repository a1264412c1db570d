; print.s — printing from a user program on the mini-OS (CPL 3), through system calls:
; write (3) for a string, putc (2) for one character. Every routine keeps every register.
;
;   print_result   print the string at ebx, then eax as a number, then a newline
;   print          ebx = a zero-terminated string: print it (one write)
;   newline        print "\n"
;   print_num      eax = a signed number: print it in decimal (one putc per character)

print_result:
    call print
    call print_num
    jmp newline

print:
    push eax
    push ecx
    mov ecx, ebx
print_len:                      ; count the characters up to the zero
    movb eax, [ecx]
    test eax, eax
    je print_go
    inc ecx
    jmp print_len
print_go:
    sub ecx, ebx
    mov eax, 3                  ; write(ebx, ecx)
    int 0x80
    pop ecx
    pop eax
    ret

newline:
    push eax
    push ebx
    mov eax, 2                  ; putc('\n')
    mov ebx, 10
    int 0x80
    pop ebx
    pop eax
    ret

print_num:
    push eax
    push ebx
    push ecx
    push edx
    push esi
    test eax, eax
    jge pn_digits
    push eax
    mov eax, 2                  ; putc('-')
    mov ebx, '-'
    int 0x80
    pop eax
    neg eax
pn_digits:
    xor esi, esi
pn_divide:
    mov ecx, 10
    xor edx, edx                ; div divides edx:eax
    div ecx                     ; eax = eax / 10, edx = the last digit
    push edx
    inc esi
    test eax, eax
    jne pn_divide
pn_print:                       ; the digits come out last-first: push, then pop
    pop ebx
    add ebx, '0'
    mov eax, 2                  ; putc(digit)
    int 0x80
    dec esi
    jne pn_print
    pop esi
    pop edx
    pop ecx
    pop ebx
    pop eax
    ret
