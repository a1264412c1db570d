; ch1_hot_loop.s — a hot loop and one line of output, in the guest kernel.
;
; The loop adds up 1..N (innocuous: the same result at any ring). Then the kernel
; prints the sum with `out` to the console port (privileged: ring 0 only).
; Expected output: "sum 45150", exit code 0.
;ko: ch1_hot_loop.s — 게스트 커널 안의 핫 루프와 출력 한 줄.
;ko:
;ko: 루프는 1부터 N까지 더합니다(무해한 명령: 어느 링에서든 결과가 같음). 그다음 커널이
;ko: `out`으로 합을 콘솔 포트에 출력합니다(특권 명령: 링 0에서만 실행 가능).
;ko: 예상 출력: "sum 45150", 종료 코드 0.

.equ N, 300

_start:
    mov esp, 0x80000
    xor eax, eax
    mov ecx, N
again:
hot:
    add eax, ecx                ; slot `hot`: innocuous
                                ;ko: 슬롯 `hot`: 무해한 명령
    loop again
    mov esi, eax
    mov ebx, msg
say:
    movb eax, [ebx]
    test eax, eax
    je number
print:
    out 0xE9, eax               ; slot `print`: privileged
                                ;ko: 슬롯 `print`: 특권 명령
    inc ebx
    jmp say
number:
    mov eax, esi                ; print the sum in decimal
                                ;ko: 합을 십진수로 출력
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

msg: .asciz "sum "
