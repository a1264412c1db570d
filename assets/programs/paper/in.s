; in.s — Adams & Agesen 2006, nanobenchmark "in": the guest kernel reads the slow legacy port
; 0x80 ITER times. Published (cycles per in): native 3209, BT 216, VT 15826.
; Natively the real device is slow; a hypervisor's virtual device is cheap, but reaching it
; costs a trap or a VM exit.

.equ ITER, 50

kernel_main:
    mov ecx, ITER
again:
    in eax, 0x80
    loop again
    mov eax, 0
    ret
