; ch1_rings.s — the same instructions in a user program and in the guest kernel.
;
; kernel_main (guest kernel, CPL 0) greets on the console with `out`, a privileged
; instruction. Then main (a user program, CPL 3) adds up 1..N with the very same
; kind of instructions every CPU runs, and prints the sum with write().
; Expected output: "kernel: hello" then "user: 2001000", exit code 0.

.equ N, 2000
.equ SYS_WRITE, 3

kernel_main:
    mov esi, s_kernel
kernel_say:
    movb eax, [esi]
    test eax, eax
    je kernel_done
kprint:
    out 0xE9, eax               ; slot `kprint`: privileged, in the guest kernel
    inc esi
    jmp kernel_say
kernel_done:
    ret

main:
    xor eax, eax
    mov ecx, N
sum_loop:
user_add:
    add eax, ecx                ; slot `user_add`: innocuous, in user mode
    loop sum_loop
    mov edi, digits_end         ; turn the sum into decimal text, last digit first
    mov ebx, 10
to_text:
    xor edx, edx
    div ebx
    add edx, '0'
    dec edi
    movb [edi], edx
    test eax, eax
    jne to_text
    mov eax, SYS_WRITE
    mov ebx, s_user
    mov ecx, line_end - s_user
    int 0x80                    ; prints "user: ", the seven digits and a newline
    xor eax, eax
    ret

s_kernel: .asciz "kernel: hello\n"
s_user:   .ascii "user: "
digits:   .ascii "0000000"
digits_end:
          .ascii "\n"
line_end:
