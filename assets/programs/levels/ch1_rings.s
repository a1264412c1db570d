; ch1_rings.s — the same instructions in a user program and in the guest kernel.
;
; kernel_main (guest kernel, CPL 0) greets on the console with `out`, a privileged
; instruction. Then main (a user program, CPL 3) adds up 1..N with the very same
; kind of instructions every CPU runs, and prints the sum with write().
; Expected output: "kernel: hello" then "user: 2001000", exit code 0.
;ko: ch1_rings.s — 사용자 프로그램과 게스트 커널에서 쓰는 같은 명령.
;ko:
;ko: kernel_main(게스트 커널, CPL 0)은 특권 명령인 `out`으로 콘솔에 인사합니다.
;ko: 이어서 main(사용자 프로그램, CPL 3)이 어느 CPU에서나 똑같이 도는 평범한 명령으로
;ko: 1부터 N까지 더하고, 그 합을 write()로 출력합니다.
;ko: 예상 출력: "kernel: hello", 이어서 "user: 2001000", 종료 코드 0.

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
                                ;ko: 슬롯 `kprint`: 게스트 커널 안의 특권 명령
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
                                ;ko: 슬롯 `user_add`: 사용자 모드의 무해한 명령
    loop sum_loop
    mov edi, digits_end         ; turn the sum into decimal text, last digit first
                                ;ko: 합을 십진수 글자로 바꿈(마지막 자리부터)
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
                                ;ko: "user: ", 일곱 자리 숫자, 줄바꿈을 출력
    xor eax, eax
    ret

s_kernel: .asciz "kernel: hello\n"
s_user:   .ascii "user: "
digits:   .ascii "0000000"
digits_end:
          .ascii "\n"
line_end:
