; strings.s: copying and reversing a string (the `strings` workload of `virtquest bench`).
;
; Shows:  byte loads and stores through two pointers: a copy loop that stops at the
;         terminating zero, and an in-place reversal with pointers from both ends.
;
; Result: no output; a LENGTH-byte string of letters is copied to a second buffer and the
;         copy reversed, ROUNDS times (each round reverses it again); the exit code is the sum
;         of its bytes times their position (1-based) after the last round, or -1 when map()
;         fails. Override LENGTH and ROUNDS with -D (LENGTH at most 2047).

.equ LENGTH, 1000
.equ ROUNDS, 40
.equ SYS_MAP, 6
.equ SRC, 0x10000000
.equ DST, 0x10000800

main:
    mov eax, SYS_MAP
    mov ebx, SRC
    mov ecx, 1
    int 0x80
    test eax, eax
    jnz failed
    mov edi, SRC                ; the source: 'a' + (i * 7 mod 26), then a zero
    xor ecx, ecx                ; ecx = i
    xor ebx, ebx                ; ebx = i * 7 mod 26
make:
    mov eax, ebx
    add eax, 97
    movb [edi], eax
    inc edi
    add ebx, 7
    cmp ebx, 26
    jb make_next
    sub ebx, 26
make_next:
    inc ecx
    cmp ecx, LENGTH
    jb make
    mov esi, ROUNDS
round:
    mov eax, SRC                ; copy up to and with the zero
    mov ebx, DST
copy:
    movb ecx, [eax]
    movb [ebx], ecx
    inc eax
    inc ebx
    test ecx, ecx
    jnz copy
    mov eax, DST                ; reverse the copy in place
    mov ebx, DST + LENGTH - 1
reverse:
    cmp eax, ebx
    jae reversed
    movb ecx, [eax]
    movb edx, [ebx]
    movb [eax], edx
    movb [ebx], ecx
    inc eax
    dec ebx
    jmp reverse
reversed:
    ; the source becomes the copy, so the next round reverses it again
    mov eax, DST
    mov ebx, SRC
swap_back:
    movb ecx, [eax]
    movb [ebx], ecx
    inc eax
    inc ebx
    test ecx, ecx
    jnz swap_back
    dec esi
    jnz round
    xor eax, eax                ; the checksum
    mov ebx, SRC
    mov ecx, 1                  ; ecx = the position
checksum:
    movb edx, [ebx]
    test edx, edx
    jz done
    imul edx, ecx
    add eax, edx
    inc ebx
    inc ecx
    jmp checksum
done:
    ret
failed:
    mov eax, -1
    ret
