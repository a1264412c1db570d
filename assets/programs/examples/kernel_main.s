; kernel_main.s: code that runs inside the guest kernel, then a user program.
;
; Shows:  `kernel_main:` is called by the mini-OS at the end of boot, at CPL 0 (kernel
;         mode), with process 1's address space loaded and interrupts off. There it may
;         use privileged instructions: here it reads cs (CPL), cr0 (is paging on?) and
;         writes the console port itself with `out`. It can still make system calls.
;         When it returns, `main` runs as process 1 at CPL 3, where the same `out` would
;         be a #GP: it must use write().
;
; Expected output:
;   kernel_main: CPL 0, paging on, getpid() = 1
;   main: CPL 3
; Exit code: 0

.equ SYS_WRITE, 3
.equ SYS_GETPID, 4

kernel_main:
    mov esi, s_kernel
    call puts
    mov eax, cs                 ; the low two bits of cs are the CPL
    and eax, 3
    add eax, '0'
    out 0xE9, eax               ; privileged: fine at CPL 0
    mov esi, s_paging
    call puts
    mov eax, cr0                ; privileged too
    mov esi, s_on
    test eax, 0x80000000        ; cr0.PG
    jne paging_said
    mov esi, s_off
paging_said:
    call puts
    mov eax, SYS_GETPID         ; a system call from kernel mode works as well
    int 0x80
    add eax, '0'
    out 0xE9, eax
    mov eax, 10
    out 0xE9, eax
    ret

; the library's console routines: puts writes the string at esi straight to the console
; port (kernel mode only)
.include "console.s"

main:
    mov eax, cs
    and eax, 3
    add eax, '0'
    movb [s_main+10], eax       ; put the digit into the text
    mov eax, SYS_WRITE
    mov ebx, s_main
    mov ecx, 12
    int 0x80
    mov eax, 0
    ret

s_kernel: .asciz "kernel_main: CPL "
s_paging: .asciz ", paging "
s_on:     .asciz "on, getpid() = "
s_off:    .asciz "off, getpid() = "
s_main:   .ascii "main: CPL ?\n"
