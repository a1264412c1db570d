; sieve.s: the sieve of Eratosthenes over mapped memory (the `sieve` workload of `virtquest bench`).
;
; Shows:  byte loads and stores (`movb`) over pages the program asks the kernel for with
;         map(): one byte per number, crossed out by every prime's multiples.
;
; Result: no output; the exit code is how many primes there are below N (for N = 40000:
;         4203), or -1 when map() fails. Override N with -D N=... (at most 1 MiB).

.equ N, 40000
.equ SYS_MAP, 6
.equ AREA, 0x10000000
.equ PAGES, (N + 4095) / 4096

main:
    mov eax, SYS_MAP
    mov ebx, AREA
    mov ecx, PAGES
    int 0x80
    test eax, eax
    jnz failed
    mov edx, 1                  ; the map starts zeroed: 0 = still a candidate, 1 = crossed out
    mov esi, 2                  ; esi = p
outer:
    mov eax, esi
    imul eax, esi
    cmp eax, N
    jae count                   ; p² ≥ N: every composite below N is crossed out
    movb ecx, [esi+AREA]
    test ecx, ecx
    jnz next                    ; p was crossed out: not a prime
    mov ebx, eax                ; cross out p², p² + p, …
cross:
    movb [ebx+AREA], edx
    add ebx, esi
    cmp ebx, N
    jb cross
next:
    inc esi
    jmp outer
count:
    xor eax, eax                ; eax = primes found
    mov ebx, 2
tally:
    movb ecx, [ebx+AREA]
    test ecx, ecx
    jnz tally_next
    inc eax
tally_next:
    inc ebx
    cmp ebx, N
    jb tally
    ret
failed:
    mov eax, -1
    ret
