; kernel.s: a system-call-heavy workload (the `kernel` workload of `virtquest bench`).
;
; Shows:  what makes an OS expensive to virtualize. Each of ITER rounds makes a null
;         system call, maps a page, writes it, unmaps it (a page-table write and an
;         invlpg) and yields to a second process (a cr3 reload each way), which yields
;         back. Natively these are cheap; under trap & emulate every privileged step
;         of the kernel traps.
;
; Expected output:
;   kernel workload: done
; Exit code: 0. Override ITER with -D ITER=...

.equ ITER, 50
.equ SYS_NULL, 0
.equ SYS_WRITE, 3
.equ SYS_YIELD, 5
.equ SYS_MAP, 6
.equ SYS_UNMAP, 7
.equ SYS_SPAWN, 8
.equ SYS_WAIT, 9
.equ AREA, 0x10000000

main:
    mov eax, SYS_SPAWN
    mov ebx, partner
    int 0x80
    mov edi, eax                ; the partner's pid
    mov esi, ITER
round:
    mov eax, SYS_NULL
    int 0x80
    mov eax, SYS_MAP
    mov ebx, AREA
    mov ecx, 1
    int 0x80
    mov [AREA], esi             ; touch the new page
    mov eax, SYS_UNMAP
    mov ebx, AREA
    mov ecx, 1
    int 0x80
    mov eax, SYS_YIELD
    int 0x80
    dec esi
    jne round
    mov eax, SYS_WAIT
    mov ebx, edi
    int 0x80
    mov eax, SYS_WRITE
    mov ebx, s_done
    mov ecx, s_done_end - s_done
    int 0x80
    mov eax, 0
    ret

partner:                        ; yields back ITER times, then exits
    mov esi, ITER
partner_round:
    mov eax, SYS_YIELD
    int 0x80
    dec esi
    jne partner_round
    mov eax, 0
    ret

s_done: .ascii "kernel workload: done\n"
s_done_end:
