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

.equ SYS_PUTC, 2
.equ SYS_GETPID, 4
.equ SYS_SPAWN, 8
.equ SYS_WAIT, 9
.equ JOBS, 3

main:
    mov esi, 1                  ; esi = the job number
next_job:
    mov [job], esi              ; the child will see this value in its copy
    mov eax, SYS_SPAWN
    mov ebx, worker
    int 0x80
    mov edi, eax                ; edi = the child's pid
    mov ebx, s_spawned
    call print
    call print_num
    mov ebx, s_for_job
    call print
    mov eax, esi
    call print_num
    call newline
    mov eax, SYS_WAIT           ; sleep until the child exits
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
    call print
    mov eax, [job]
    call print_num
    mov ebx, s_copy
    call print
    mov eax, SYS_WAIT
    mov ebx, 1                  ; pid 1 is ourselves, not a child
    int 0x80
    mov ebx, s_wait1
    call print
    call print_num
    mov ebx, s_not_child
    call print
    mov eax, 0
    ret

worker:                         ; a child starts here, with an empty stack
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
    mov eax, esi
    imul eax, esi
    ret                         ; exit code: job * job

; --- the library's printing routines: print (the string at ebx), newline, print_num
; (the number in eax) and print_result (all three); every register is kept
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
