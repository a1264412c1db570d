; primes.s: trial division (the `primes` workload of `virtquest bench`).
;
; Shows:  a short inner loop of `div` (edx:eax by a register) and `imul`, with a branch out
;         of the loop on a zero remainder: the kind of loop a learner writes first.
;
; Result: no output; the exit code is how many primes there are below N (for N = 20000:
;         2262). Override N with -D N=...

.equ N, 20000

main:
    xor edi, edi                ; edi = primes found
    mov esi, 2                  ; esi = the candidate
candidate:
    cmp esi, N
    jae done
    mov ebx, 2                  ; ebx = the divisor
try:
    mov eax, ebx
    imul eax, ebx
    cmp eax, esi
    ja prime                    ; divisor² > candidate: no divisor left
    mov eax, esi
    xor edx, edx
    div ebx
    test edx, edx
    jz composite
    inc ebx
    jmp try
prime:
    inc edi
composite:
    inc esi
    jmp candidate
done:
    mov eax, edi
    ret
