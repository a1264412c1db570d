; ch2_syscalls.s — a user program that makes many system calls.
;
; Each null system call (int 0x80, eax = 0) enters the guest kernel and returns with
; iret. Expected output: "100 system calls", exit code 0.
;ko: ch2_syscalls.s — 시스템 콜을 아주 많이 하는 사용자 프로그램.
;ko:
;ko: 빈 시스템 콜(int 0x80, eax = 0)은 매번 게스트 커널에 들어갔다가 iret으로 돌아옵니다.
;ko: 예상 출력: "100 system calls", 종료 코드 0.

.equ COUNT, 100
.equ SYS_NULL, 0
.equ SYS_WRITE, 3

main:
    mov esi, COUNT
again:
    mov eax, SYS_NULL
    int 0x80                    ; into the guest kernel and back
                                ;ko: 게스트 커널에 들어갔다가 돌아옴
count_down:
    dec esi                     ; slot `count_down`: innocuous
                                ;ko: 슬롯 `count_down`: 무해한 명령
    jne again
    mov eax, SYS_WRITE
    mov ebx, message
    mov ecx, message_end - message
    int 0x80
    xor eax, eax
    ret

message: .ascii "100 system calls\n"
message_end:
