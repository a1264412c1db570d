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
    int 0x80
    mov ebx, s_null
    call print_result

    mov ebx, s_putc             ; 2 putc: one character
    call print
    mov eax, SYS_PUTC
    mov ebx, '*'
    int 0x80
    call newline

    mov eax, SYS_WRITE          ; 3 write: a buffer of our own memory
    mov ebx, s_line
    mov ecx, s_line_end - s_line
    int 0x80
    mov ebx, s_write
    call print_result

    mov eax, SYS_GETPID         ; 4 getpid: the first process is 1
    int 0x80
    mov ebx, s_getpid
    call print_result

    mov eax, SYS_TIME           ; 10 time: the cycle counter
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
    mov ebx, PAGE
    mov ecx, 1
    int 0x80
    mov ebx, s_map
    call print_result
    mov eax, 1234
    mov [PAGE+8], eax           ; it is ordinary memory now
    mov ebx, s_stored
    call print
    mov eax, [PAGE+8]
    call print_num
    call newline

    mov eax, SYS_UNMAP          ; 7 unmap: gone again (touching it now would fault)
    mov ebx, PAGE
    mov ecx, 1
    int 0x80
    mov ebx, s_unmap
    call print_result

    mov eax, SYS_WRITE          ; the kernel refuses to print its own memory
    mov ebx, 0x1000
    mov ecx, 16
    int 0x80
    mov ebx, s_kwrite
    call print_result

    mov eax, 42                 ; no such call
    int 0x80
    mov ebx, s_unknown
    call print_result

    mov eax, SYS_YIELD          ; 5 yield: nobody else is ready, so we go on at once
    int 0x80
    mov ebx, s_yield
    call print_result

    mov eax, SYS_SPAWN          ; 8 spawn: a new process running `child`
    mov ebx, child
    int 0x80
    mov edi, eax                ; its pid
    mov ebx, s_spawn
    call print_result

    mov eax, SYS_WAIT           ; 9 wait: sleep until the child exits; get its code
    mov ebx, edi
    int 0x80
    mov ebx, s_wait
    call print_result

    mov eax, SYS_EXIT           ; 1 exit(0): the same as returning 0 from main
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
    ret

; --- the library's printing routines: print (the string at ebx), newline, print_num
; (the number in eax) and print_result (all three); every register is kept
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
