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

.equ SYS_WRITE, 3

main:
    mov eax, SYS_WRITE
    mov ebx, greeting
    mov ecx, greeting_end - greeting
    int 0x80                    ; the kernel prints it and returns the length in eax
    mov eax, 0                  ; exit code 0
    ret

greeting: .ascii "Hello from user mode!\n"
greeting_end:
