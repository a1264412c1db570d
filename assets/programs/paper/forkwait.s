; forkwait.s — Adams & Agesen 2006, macrobenchmark "forkwait": a process creates a child and
; waits for it, ITER times (the paper: 40,000 times; seconds native 6.02, BT 36.95, VT 106.4).
; Every spawn builds an address space (page-table writes) and switches to it (cr3 loads).
; Barham et al. (SOSP 2003) measure "fork" the same way (µs: native 110, Xen 198, VMware 874).

.equ ITER, 10
.equ SYS_SPAWN, 8
.equ SYS_WAIT, 9

main:
    mov esi, ITER
again:
    mov eax, SYS_SPAWN
    mov ebx, child
    int 0x80
    mov ebx, eax
    mov eax, SYS_WAIT
    int 0x80
    dec esi
    jne again
    mov eax, 0
    ret

child:
    mov eax, 0
    ret
