; cr8wr.s — Adams & Agesen 2006, nanobenchmark "cr8wr": the guest kernel writes the task
; priority register (cr8) ITER times. Published (cycles per write): native 150, BT 35, VT 177.
; Binary translation turns it into a plain memory write; VT-x's TPR shadow avoids the exit.

.equ ITER, 100

kernel_main:
    mov ecx, ITER
    mov eax, 0
again:
    mov cr8, eax
    loop again
    mov eax, 0
    ret
