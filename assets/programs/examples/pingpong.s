; pingpong.s: two processes take turns with yield().
;
; Shows:  yield() asks the scheduler to run the next ready process (round robin). Each
;         switch saves one process's registers in its process-table slot, loads the
;         other's and reloads cr3 with the other's page directory. The two processes
;         alternate line by line; then the parent waits for the child.
;
; Expected output:
;   ping 1
;   pong 1
;   ping 2
;   pong 2
;   ping 3
;   pong 3
;   both done
; Exit code: 0

.equ SYS_WRITE, 3
.equ SYS_YIELD, 5
.equ SYS_SPAWN, 8
.equ SYS_WAIT, 9
.equ ROUNDS, 3

main:
    mov eax, SYS_SPAWN
    mov ebx, pong
    int 0x80
    mov edi, eax                ; the child's pid
    mov ebx, s_ping
    call play                   ; ping 1 .. ping ROUNDS, yielding after each
    mov eax, SYS_WAIT
    mov ebx, edi
    int 0x80
    mov eax, SYS_WRITE
    mov ebx, s_done
    mov ecx, 10
    int 0x80
    mov eax, 0
    ret

pong:                           ; the child
    mov ebx, s_pong
    call play
    mov eax, 0
    ret

; ebx = "ping N\n" or "pong N\n": print it ROUNDS times, N counting up, yielding each time
play:
    mov esi, '1'
play_round:
    movb [ebx+5], esi           ; put the digit into the text
    mov eax, SYS_WRITE
    mov ecx, 7
    int 0x80
    mov eax, SYS_YIELD          ; the other process's turn
    int 0x80
    inc esi
    cmp esi, '0' + ROUNDS
    jle play_round
    ret

s_ping: .ascii "ping N\n"
s_pong: .ascii "pong N\n"
s_done: .ascii "both done\n"
