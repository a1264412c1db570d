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

; Data on its own page: a write to a page of code would make a binary translator
; drop that page's translations (as it must for self-modifying code).
.align 4096
counter: .word 0
msg:     .asciz "count "
