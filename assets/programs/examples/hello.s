; hello.s: the smallest mini-OS program, one write() system call.
;
; Shows:  a user program (it has `main:`) runs at CPL 3 and cannot touch the console
;         port itself; it asks the kernel. write(ptr, len) is system call 3:
;         eax = 3, ebx = address of the text, ecx = its length, then `int 0x80`.
;         Returning from main ends the process; eax becomes the exit code.
;
; Expected output:
;   Hello from user mode!
; Exit code: 0
;ko: hello.s: 가장 작은 mini-OS 프로그램, write() 시스템 콜 한 번.
;ko:
;ko: 보여 주는 것:  사용자 프로그램(`main:`이 있는 것)은 CPL 3에서 돌며 콘솔 포트를 직접
;ko:                만질 수 없으니 커널에 부탁합니다. write(ptr, len)은 시스템 콜 3번입니다:
;ko:                eax = 3, ebx = 글의 주소, ecx = 길이, 그리고 `int 0x80`.
;ko:                main에서 돌아가면 프로세스가 끝나고, eax가 종료 코드가 됩니다.
;ko:
;ko: 예상 출력:
;ko:   Hello from user mode!
;ko: 종료 코드: 0

.equ SYS_WRITE, 3

main:
    mov eax, SYS_WRITE
    mov ebx, greeting
    mov ecx, greeting_end - greeting
    int 0x80                    ; the kernel prints it and returns the length in eax
                                ;ko: 커널이 출력하고 eax에 길이를 돌려줌
    mov eax, 0                  ; exit code 0
                                ;ko: 종료 코드 0
    ret

greeting: .ascii "Hello from user mode!\n"
greeting_end:
