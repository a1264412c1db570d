; pgfault.s — Adams & Agesen 2006, nanobenchmark "pgfault": a page fault taken by a user program
; and handled by the kernel, ITER times. Published (cycles per fault): native 1093, BT 3927,
; VT 11242 (first-generation VT-x, no EPT). Barham et al. 2003 (lmbench "page fault", µs):
; native 1.42, Xen 2.73, VMware 12.4.
; kernel_main installs a fault handler (the mini-OS passes the address of its hook in ebx);
; the handler steps over the faulting load, as a kernel that fixed the fault would resume it.

.equ ITER, 20
.equ F_EIP, 36                      ; the trap frame's eip (docs/minios.md)
.equ UNMAPPED, 0x20000000           ; nothing is mapped here

kernel_main:
    mov eax, on_fault
    mov [ebx], eax
    mov eax, 0
    ret

on_fault:                           ; ebp = the trap frame
    mov eax, [ebp+F_EIP]
    add eax, 8                      ; every instruction is 8 bytes: resume after the load
    mov [ebp+F_EIP], eax
    mov eax, 1                      ; handled
    ret

main:
    mov ecx, ITER
again:
    mov eax, [UNMAPPED]
    loop again
    mov eax, 0
    ret
