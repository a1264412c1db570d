; count_dec.s: compute.s's loop closed by dec / jnz (the `count_dec` workload of `virtquest bench`).
;
; Shows:  the same xorshift32 steps as compute.s, counted down in a register that the loop
;         decrements and tests with `jnz`, as hand-written assembly often does.
;
; Result: no output; the exit code is the sum of the N values modulo 2^32 (as a signed
;         number), the same as compute.s's for the same N. Override N with -D N=...

.equ N, 100000
.equ SEED, 2463534242

main:
    mov eax, SEED               ; eax = x
    xor edx, edx                ; edx = the sum
    mov esi, N                  ; esi = steps left
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
    dec esi
    jnz step
    mov eax, edx
    ret
