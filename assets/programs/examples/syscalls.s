; syscalls.s: a tour of the eleven mini-OS system calls.
;
; Shows:  every call, with the number in eax and arguments in ebx, ecx, edx, and what
;         it returns in eax. The kernel checks what it is given: a write() from a kernel
;         address or an unknown call number just returns -1.
;
; Expected output:
;   null() = 0
;   putc('*'): *
;   write() printed this line
;   write() = 26
;   getpid() = 1
;   time() went forward: yes
;   map(0x10000000, 1) = 0
;   stored 1234 in the new page, read back 1234
;   unmap(0x10000000, 1) = 0
;   write(kernel address) = -1
;   call 42 = -1
;   yield() = 0
;   spawn(child) = 2
;   child: my pid is 2
;   wait(2) = 7
; Exit code: 0
;ko: syscalls.s: mini-OS의 시스템 콜 열한 개를 차례로 둘러봅니다.
;ko:
;ko: 보여 주는 것:  모든 호출. 번호는 eax에, 인자는 ebx, ecx, edx에 넣고, 결과는 eax로
;ko:                돌아옵니다. 커널은 받은 것을 검사합니다. 커널 주소에서 write()하거나
;ko:                없는 호출 번호를 쓰면 그냥 -1을 돌려줍니다.
;ko:
;ko: 예상 출력:
;ko:   null() = 0
;ko:   putc('*'): *
;ko:   write() printed this line
;ko:   write() = 26
;ko:   getpid() = 1
;ko:   time() went forward: yes
;ko:   map(0x10000000, 1) = 0
;ko:   stored 1234 in the new page, read back 1234
;ko:   unmap(0x10000000, 1) = 0
;ko:   write(kernel address) = -1
;ko:   call 42 = -1
;ko:   yield() = 0
;ko:   spawn(child) = 2
;ko:   child: my pid is 2
;ko:   wait(2) = 7
;ko: 종료 코드: 0

.equ SYS_NULL, 0
.equ SYS_EXIT, 1
.equ SYS_PUTC, 2
.equ SYS_WRITE, 3
.equ SYS_GETPID, 4
.equ SYS_YIELD, 5
.equ SYS_MAP, 6
.equ SYS_UNMAP, 7
.equ SYS_SPAWN, 8
.equ SYS_WAIT, 9
.equ SYS_TIME, 10
.equ PAGE, 0x10000000

main:
    mov eax, SYS_NULL           ; 0 null: the cheapest round trip into the kernel
                                ;ko: 0 null: 커널에 다녀오는 가장 싼 왕복
    int 0x80
    mov ebx, s_null
    call print_result

    mov ebx, s_putc             ; 2 putc: one character
                                ;ko: 2 putc: 글자 하나
    call print
    mov eax, SYS_PUTC
    mov ebx, '*'
    int 0x80
    call newline

    mov eax, SYS_WRITE          ; 3 write: a buffer of our own memory
                                ;ko: 3 write: 우리 메모리에 있는 버퍼
    mov ebx, s_line
    mov ecx, s_line_end - s_line
    int 0x80
    mov ebx, s_write
    call print_result

    mov eax, SYS_GETPID         ; 4 getpid: the first process is 1
                                ;ko: 4 getpid: 첫 프로세스는 1번
    int 0x80
    mov ebx, s_getpid
    call print_result

    mov eax, SYS_TIME           ; 10 time: the cycle counter
                                ;ko: 10 time: 사이클 카운터
    int 0x80
    mov esi, eax
    mov eax, SYS_TIME
    int 0x80
    mov ebx, s_time
    call print
    mov ebx, s_no
    cmp eax, esi
    je time_said
    mov ebx, s_yes
time_said:
    call print

    mov eax, SYS_MAP            ; 6 map: a fresh zeroed page in the map area
                                ;ko: 6 map: map 영역에 0으로 채운 새 페이지
    mov ebx, PAGE
    mov ecx, 1
    int 0x80
    mov ebx, s_map
    call print_result
    mov eax, 1234
    mov [PAGE+8], eax           ; it is ordinary memory now
                                ;ko: 이제 평범한 메모리
    mov ebx, s_stored
    call print
    mov eax, [PAGE+8]
    call print_num
    call newline

    mov eax, SYS_UNMAP          ; 7 unmap: gone again (touching it now would fault)
                                ;ko: 7 unmap: 다시 사라짐(이제 건드리면 폴트)
    mov ebx, PAGE
    mov ecx, 1
    int 0x80
    mov ebx, s_unmap
    call print_result

    mov eax, SYS_WRITE          ; the kernel refuses to print its own memory
                                ;ko: 커널은 자기 메모리를 출력해 주지 않음
    mov ebx, 0x1000
    mov ecx, 16
    int 0x80
    mov ebx, s_kwrite
    call print_result

    mov eax, 42                 ; no such call
                                ;ko: 없는 호출
    int 0x80
    mov ebx, s_unknown
    call print_result

    mov eax, SYS_YIELD          ; 5 yield: nobody else is ready, so we go on at once
                                ;ko: 5 yield: 준비된 다른 프로세스가 없으니 바로 이어서 돎
    int 0x80
    mov ebx, s_yield
    call print_result

    mov eax, SYS_SPAWN          ; 8 spawn: a new process running `child`
                                ;ko: 8 spawn: `child`를 실행하는 새 프로세스
    mov ebx, child
    int 0x80
    mov edi, eax                ; its pid
                                ;ko: 그 프로세스의 pid
    mov ebx, s_spawn
    call print_result

    mov eax, SYS_WAIT           ; 9 wait: sleep until the child exits; get its code
                                ;ko: 9 wait: 자식이 끝날 때까지 잠들었다가 종료 코드를 받음
    mov ebx, edi
    int 0x80
    mov ebx, s_wait
    call print_result

    mov eax, SYS_EXIT           ; 1 exit(0): the same as returning 0 from main
                                ;ko: 1 exit(0): main에서 0을 돌려주는 것과 같음
    mov ebx, 0
    int 0x80

child:
    mov ebx, s_child
    call print
    mov eax, SYS_GETPID
    int 0x80
    call print_num
    call newline
    mov eax, 7                  ; returning from the entry point exits: code 7
                                ;ko: 진입점에서 돌아가면 끝남: 종료 코드 7
    ret

; --- the library's printing routines: print (the string at ebx), newline, print_num
; (the number in eax) and print_result (all three); every register is kept
;ko: --- 라이브러리의 출력 루틴: print(ebx가 가리키는 문자열), newline, print_num(eax의 수),
;ko: print_result(셋을 차례로). 모든 레지스터를 그대로 둠
.include "print.s"

s_null:    .asciz "null() = "
s_putc:    .asciz "putc('*'): "
s_line:    .ascii "write() printed this line\n"
s_line_end:
s_write:   .asciz "write() = "
s_getpid:  .asciz "getpid() = "
s_time:    .asciz "time() went forward: "
s_yes:     .asciz "yes\n"
s_no:      .asciz "no\n"
s_map:     .asciz "map(0x10000000, 1) = "
s_stored:  .asciz "stored 1234 in the new page, read back "
s_unmap:   .asciz "unmap(0x10000000, 1) = "
s_kwrite:  .asciz "write(kernel address) = "
s_unknown: .asciz "call 42 = "
s_yield:   .asciz "yield() = "
s_spawn:   .asciz "spawn(child) = "
s_wait:    .asciz "wait(2) = "
s_child:   .asciz "child: my pid is "
