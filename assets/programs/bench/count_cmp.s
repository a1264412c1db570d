; count_cmp.s: compute.s's loop closed by a compare (the `count_cmp` workload of `virtquest bench`).
;
; Shows:  the same xorshift32 steps as compute.s, with a counter that counts up and a
;         `cmp` / `jl` pair closing the loop, as loops written in C usually compile.
;
; Result: no output; the exit code is the sum of the N values modulo 2^32 (as a signed
;         number), the same as compute.s's for the same N. Override N with -D N=...

.equ N, 100000
.equ SEED, 2463534242

main:
    mov eax, SEED               ; eax = x
    xor edx, edx                ; edx = the sum
    xor ecx, ecx                ; ecx = i
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
    inc ecx
    cmp ecx, N
    jl step
    mov eax, edx
    ret
