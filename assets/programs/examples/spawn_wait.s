; spawn_wait.s: spawn children, wait for each, collect their exit codes.
;
; Shows:  spawn(entry) creates a process with its OWN COPY of the parent's memory, so a
;         child sees the value the parent stored before spawning; what the child writes
;         stays in its copy. wait(pid) sleeps until that child exits and returns its
;         exit code; waiting for a process that is not your child returns -1.
;
; Expected output:
;   parent: spawned child 2 for job 1
;   child 2: job 1, exiting with 1*1
;   parent: child 2 exited with code 1
;   parent: spawned child 3 for job 2
;   child 3: job 2, exiting with 2*2
;   parent: child 3 exited with code 4
;   parent: spawned child 4 for job 3
;   child 4: job 3, exiting with 3*3
;   parent: child 4 exited with code 9
;   parent: my job is still 3 (each child changed only its copy)
;   parent: wait(1) = -1 (not my child)
; Exit code: 0
;ko: spawn_wait.s: 자식을 만들고, 하나씩 기다려, 종료 코드를 받습니다.
;ko:
;ko: 보여 주는 것:  spawn(entry)는 부모 메모리의 '복사본'을 가진 프로세스를 만듭니다. 그래서
;ko:                자식은 부모가 spawn 전에 저장한 값을 보지만, 자식이 쓴 값은 자기 복사본에만
;ko:                남습니다. wait(pid)는 그 자식이 끝날 때까지 잠들었다가 종료 코드를
;ko:                돌려줍니다. 자기 자식이 아닌 프로세스를 기다리면 -1을 돌려줍니다.
;ko:
;ko: 예상 출력:
;ko:   parent: spawned child 2 for job 1
;ko:   child 2: job 1, exiting with 1*1
;ko:   parent: child 2 exited with code 1
;ko:   parent: spawned child 3 for job 2
;ko:   child 3: job 2, exiting with 2*2
;ko:   parent: child 3 exited with code 4
;ko:   parent: spawned child 4 for job 3
;ko:   child 4: job 3, exiting with 3*3
;ko:   parent: child 4 exited with code 9
;ko:   parent: my job is still 3 (each child changed only its copy)
;ko:   parent: wait(1) = -1 (not my child)
;ko: 종료 코드: 0

.equ SYS_PUTC, 2
.equ SYS_GETPID, 4
.equ SYS_SPAWN, 8
.equ SYS_WAIT, 9
.equ JOBS, 3

main:
    mov esi, 1                  ; esi = the job number
                                ;ko: esi = 작업 번호
next_job:
    mov [job], esi              ; the child will see this value in its copy
                                ;ko: 자식은 자기 복사본에서 이 값을 봄
    mov eax, SYS_SPAWN
    mov ebx, worker
    int 0x80
    mov edi, eax                ; edi = the child's pid
                                ;ko: edi = 자식의 pid
    mov ebx, s_spawned
    call print
    call print_num
    mov ebx, s_for_job
    call print
    mov eax, esi
    call print_num
    call newline
    mov eax, SYS_WAIT           ; sleep until the child exits
                                ;ko: 자식이 끝날 때까지 잠듦
    mov ebx, edi
    int 0x80
    mov ebx, s_child
    call print
    push eax
    mov eax, edi
    call print_num
    pop eax
    mov ebx, s_exited
    call print
    call print_num
    call newline
    inc esi
    cmp esi, JOBS
    jle next_job
    mov ebx, s_still            ; the children's writes did not reach our memory
                                ;ko: 자식들이 쓴 값은 우리 메모리에 닿지 않았음
    call print
    mov eax, [job]
    call print_num
    mov ebx, s_copy
    call print
    mov eax, SYS_WAIT
    mov ebx, 1                  ; pid 1 is ourselves, not a child
                                ;ko: pid 1은 자식이 아니라 우리 자신
    int 0x80
    mov ebx, s_wait1
    call print
    call print_num
    mov ebx, s_not_child
    call print
    mov eax, 0
    ret

worker:                         ; a child starts here, with an empty stack
                                ;ko: 자식은 빈 스택으로 여기서 시작함
    mov ebx, s_worker
    call print
    mov eax, SYS_GETPID
    int 0x80
    call print_num
    mov ebx, s_job
    call print
    mov esi, [job]
    mov eax, esi
    call print_num
    mov ebx, s_exiting
    call print
    mov eax, esi
    call print_num
    mov eax, SYS_PUTC
    mov ebx, '*'
    int 0x80
    mov eax, esi
    call print_num
    call newline
    mov eax, 99
    mov [job], eax              ; changes only this child's copy
                                ;ko: 이 자식의 복사본만 바뀜
    mov eax, esi
    imul eax, esi
    ret                         ; exit code: job * job
                                ;ko: 종료 코드: job * job

; --- the library's printing routines: print (the string at ebx), newline, print_num
; (the number in eax) and print_result (all three); every register is kept
;ko: --- 라이브러리의 출력 루틴: print(ebx가 가리키는 문자열), newline, print_num(eax의 수),
;ko: print_result(셋을 차례로). 모든 레지스터를 그대로 둠
.include "print.s"

job:         .word 0
s_spawned:   .asciz "parent: spawned child "
s_for_job:   .asciz " for job "
s_child:     .asciz "parent: child "
s_exited:    .asciz " exited with code "
s_still:     .asciz "parent: my job is still "
s_copy:      .asciz " (each child changed only its copy)\n"
s_wait1:     .asciz "parent: wait(1) = "
s_not_child: .asciz " (not my child)\n"
s_worker:    .asciz "child "
s_job:       .asciz ": job "
s_exiting:   .asciz ", exiting with "
