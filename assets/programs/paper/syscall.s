; syscall.s — Adams & Agesen (ASPLOS 2006), nanobenchmark "syscall": a null system call.
; A user program calls the kernel ITER times and does nothing there (system call 0).
; Published (P4 672, cycles per call): native 242, BT 2308, VT 246.
; Override the count with -D ITER=…; `virtquest paper adams2006` runs two counts and divides
; the difference, so the boot cost drops out.

.equ ITER, 100

main:
    mov ecx, ITER
again:
    mov eax, 0              ; null system call
    int 0x80
    loop again
    mov eax, 0
    ret
