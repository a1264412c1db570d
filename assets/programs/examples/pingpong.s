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
;ko: pingpong.s: 두 프로세스가 yield()로 번갈아 가며 돕니다.
;ko:
;ko: 보여 주는 것:  yield()는 스케줄러에게 다음 준비된 프로세스를 돌려 달라고 합니다(라운드
;ko:                로빈). 전환할 때마다 한 프로세스의 레지스터를 프로세스 테이블의 자기 칸에
;ko:                저장하고, 다른 프로세스의 것을 불러오고, cr3에 그 프로세스의 페이지
;ko:                디렉터리를 다시 넣습니다. 두 프로세스가 한 줄씩 번갈아 출력한 뒤, 부모가
;ko:                자식을 기다립니다.
;ko:
;ko: 예상 출력:
;ko:   ping 1
;ko:   pong 1
;ko:   ping 2
;ko:   pong 2
;ko:   ping 3
;ko:   pong 3
;ko:   both done
;ko: 종료 코드: 0

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
                                ;ko: 자식의 pid
    mov ebx, s_ping
    call play                   ; ping 1 .. ping ROUNDS, yielding after each
                                ;ko: ping 1 .. ping ROUNDS, 한 줄마다 yield
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
                                ;ko: 자식 프로세스
    mov ebx, s_pong
    call play
    mov eax, 0
    ret

; ebx = "ping N\n" or "pong N\n": print it ROUNDS times, N counting up, yielding each time
;ko: ebx = "ping N\n" 또는 "pong N\n": N을 하나씩 늘리며 ROUNDS번 출력하고, 매번 yield
play:
    mov esi, '1'
play_round:
    movb [ebx+5], esi           ; put the digit into the text
                                ;ko: 숫자를 글자 속에 넣음
    mov eax, SYS_WRITE
    mov ecx, 7
    int 0x80
    mov eax, SYS_YIELD          ; the other process's turn
                                ;ko: 다른 프로세스의 차례
    int 0x80
    inc esi
    cmp esi, '0' + ROUNDS
    jle play_round
    ret

s_ping: .ascii "ping N\n"
s_pong: .ascii "pong N\n"
s_done: .ascii "both done\n"
