; compute.s: a compute-bound user program (the `compute` workload of `virtquest bench`).
;
; Shows:  pure arithmetic at CPL 3 with no system calls: the xorshift32 generator
;         (x ^= x << 13; x ^= x >> 17; x ^= x << 5), summed over N steps. Natively and
;         under every virtualization mode, user code like this runs directly on the CPU;
;         only timer interrupts reach the kernel.
;
; Result: no output; the exit code is the sum of the N values, modulo 2^32 (as a signed
;         number). With N = 100000 the sum is 2958322697, so the exit code reads
;         -1336644599. Override N with -D N=...

.equ N, 100000
.equ SEED, 2463534242

main:
    mov eax, SEED               ; eax = x
    xor edx, edx                ; edx = the sum
    mov ecx, N
step:
    mov ebx, eax
    shl ebx, 13
    xor eax, ebx
    mov ebx, eax
    shr ebx, 17
    xor eax, ebx
    mov ebx, eax
    shl ebx, 5
    xor eax, ebx
    add edx, eax
    loop step
    mov eax, edx
    ret
