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
    int 0x80
    inc esi
    cmp esi, '3'
    jle step
    mov eax, SYS_WAIT
    mov ebx, edi
    int 0x80
    mov esi, eax                ; 142 = 128 + 14 (#PF)
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
    mov ebx, s_survived         ; (never printed)
    call print
    ret

; --- the library's printing routines: print (the string at ebx), newline, print_num
; (the number in eax) and print_result (all three); every register is kept
.include "print.s"

s_started:  .asciz "main: started process 2; it will read unmapped memory\n"
s_step:     .asciz "main: step N\n"
s_ended:    .asciz "main: process 2 ended with code "
s_newline:  .asciz "\n"
s_crasher:  .asciz "crasher: reading 0x10000000...\n"
s_survived: .asciz "crasher: survived?!\n"
