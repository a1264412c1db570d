; divzero.s — Adams & Agesen 2006, nanobenchmark "divzero": a divide-by-zero fault in a user
; program, handled by the kernel, ITER times. Published (cycles per fault): native 889,
; BT 3223, VT 1014 — VT-x does not exit on #DE, so the guest handles it at native cost.

.equ ITER, 20
.equ F_EIP, 36

kernel_main:
    mov eax, on_fault
    mov [ebx], eax
    mov eax, 0
    ret

on_fault:
    mov eax, [ebp+F_EIP]
    add eax, 8                      ; resume after the div
    mov [ebp+F_EIP], eax
    mov eax, 1
    ret

main:
    mov ecx, ITER
    mov ebx, 0
again:
    mov eax, 7
    div ebx
    loop again
    mov eax, 0
    ret
