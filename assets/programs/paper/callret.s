; callret.s — Adams & Agesen 2006, nanobenchmark "call/ret": the guest kernel calls an empty
; function ITER times. Published (cycles per pair): native 11, BT 51, VT 11.
; Under binary translation every `ret` pays a translation-cache lookup.

.equ ITER, 200

kernel_main:
    mov ecx, ITER
again:
    call empty
    loop again
    mov eax, 0
    ret
empty:
    ret
