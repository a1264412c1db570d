; ch2_syscalls.s — a user program that makes many system calls.
;
; Each null system call (int 0x80, eax = 0) enters the guest kernel and returns with
; iret. Expected output: "100 system calls", exit code 0.

.equ COUNT, 100
.equ SYS_NULL, 0
.equ SYS_WRITE, 3

main:
    mov esi, COUNT
again:
    mov eax, SYS_NULL
    int 0x80                    ; into the guest kernel and back
count_down:
    dec esi                     ; slot `count_down`: innocuous
    jne again
    mov eax, SYS_WRITE
    mov ebx, message
    mov ecx, message_end - message
    int 0x80
    xor eax, eax
    ret

message: .ascii "100 system calls\n"
message_end:
