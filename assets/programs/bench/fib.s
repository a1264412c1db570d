; fib.s: naive recursive Fibonacci (the `fib` workload of `virtquest bench`).
;
; Shows:  `call` / `ret`, `push` / `pop` and a stack that grows and shrinks with every
;         call: fib(n) = fib(n - 1) + fib(n - 2), fib(0) = 0, fib(1) = 1, nothing cached.
;
; Result: no output; the exit code is fib(N) (for N = 20: 6765). Override N with -D N=...
;         (the 8 KiB user stack holds N up to several hundred).

.equ N, 20

main:
    mov eax, N
    call fib
    ret

fib:                            ; eax = n -> eax = fib(n); keeps every other register
    cmp eax, 2
    jb fib_small
    push ebx
    push eax
    dec eax
    call fib
    mov ebx, eax                ; ebx = fib(n - 1)
    pop eax
    sub eax, 2
    call fib
    add eax, ebx
    pop ebx
fib_small:
    ret
