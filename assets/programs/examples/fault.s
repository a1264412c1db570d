; fault.s: a process that page-faults is killed; everybody else goes on.
;
; Shows:  the child reads 0x10000000, which nobody mapped. The CPU raises #PF (vector 14)
;         with cr2 = the address; the kernel sees that the fault came from user mode,
;         prints what happened and where, and ends that process with exit code 128 + 14.
;         The parent keeps running and collects the code with wait().
;
; Expected output:
;   main: started process 2; it will read unmapped memory
;   main: step 1
;   crasher: reading 0x10000000...
;   [minios] process 2 killed: #PF page fault at 0x10000000 (eip 0x004000e8)
;   main: step 2
;   main: step 3
;   main: process 2 ended with code 142
; Exit code: 0
;ko: fault.s: 페이지 폴트를 낸 프로세스는 죽고, 나머지는 계속 돕니다.
;ko:
;ko: 보여 주는 것:  자식이 아무도 매핑하지 않은 0x10000000을 읽습니다. CPU는 cr2 = 그 주소로
;ko:                #PF(벡터 14)를 일으키고, 커널은 폴트가 사용자 모드에서 왔음을 보고 무슨 일이
;ko:                어디서 일어났는지 출력한 뒤 그 프로세스를 종료 코드 128 + 14로 끝냅니다.
;ko:                부모는 계속 돌다가 wait()로 그 코드를 받습니다.
;ko:
;ko: 예상 출력:
;ko:   main: started process 2; it will read unmapped memory
;ko:   main: step 1
;ko:   crasher: reading 0x10000000...
;ko:   [minios] process 2 killed: #PF page fault at 0x10000000 (eip 0x004000e8)
;ko:   main: step 2
;ko:   main: step 3
;ko:   main: process 2 ended with code 142
;ko: 종료 코드: 0

.equ SYS_YIELD, 5
.equ SYS_SPAWN, 8
.equ SYS_WAIT, 9

main:
    mov eax, SYS_SPAWN
    mov ebx, crasher
    int 0x80
    mov edi, eax
    mov ebx, s_started
    call print
    mov esi, '1'
step:
    movb [s_step+11], esi
    mov ebx, s_step
    call print
    mov eax, SYS_YIELD          ; let the other process run
                                ;ko: 다른 프로세스가 돌게 함
    int 0x80
    inc esi
    cmp esi, '3'
    jle step
    mov eax, SYS_WAIT
    mov ebx, edi
    int 0x80
    mov esi, eax                ; 142 = 128 + 14 (#PF)
                                ;ko: 142 = 128 + 14(#PF, 페이지 폴트)
    mov ebx, s_ended
    call print
    mov eax, esi
    call print_num
    mov ebx, s_newline
    call print
    mov eax, 0
    ret

crasher:
    mov ebx, s_crasher
    call print
    mov eax, [0x10000000]       ; not mapped: #PF, and the kernel kills this process
                                ;ko: 매핑되지 않음: #PF, 커널이 이 프로세스를 죽임
    mov ebx, s_survived         ; (never printed)
                                ;ko: (출력되지 않음)
    call print
    ret

; --- the library's printing routines: print (the string at ebx), newline, print_num
; (the number in eax) and print_result (all three); every register is kept
;ko: --- 라이브러리의 출력 루틴: print(ebx가 가리키는 문자열), newline, print_num(eax의 수),
;ko: print_result(셋을 차례로). 모든 레지스터를 그대로 둠
.include "print.s"

s_started:  .asciz "main: started process 2; it will read unmapped memory\n"
s_step:     .asciz "main: step N\n"
s_ended:    .asciz "main: process 2 ended with code "
s_newline:  .asciz "\n"
s_crasher:  .asciz "crasher: reading 0x10000000...\n"
s_survived: .asciz "crasher: survived?!\n"
