; sort.s: bubble sort of words (the `sort` workload of `virtquest bench`).
;
; Shows:  word loads and stores through a pointer, unsigned compares (`jbe`) and a swap,
;         in two nested loops over an array in pages from map().
;
; Result: no output; N pseudo-random words (xorshift32) are sorted in place, then the exit
;         code is the sum of a[i] * (i + 1) modulo 2^32 (as a signed number), or -1 when map()
;         fails or the array is not in order. Override N with -D N=... (at most 65536).

.equ N, 400
.equ SEED, 2463534242
.equ SYS_MAP, 6
.equ AREA, 0x10000000
.equ PAGES, (N * 4 + 4095) / 4096

main:
    mov eax, SYS_MAP
    mov ebx, AREA
    mov ecx, PAGES
    int 0x80
    test eax, eax
    jnz failed
    mov eax, SEED               ; fill: a[i] = the next xorshift32 value
    mov edi, AREA
    mov ecx, N
fill:
    mov ebx, eax
    shl ebx, 13
    xor eax, ebx
    mov ebx, eax
    shr ebx, 17
    xor eax, ebx
    mov ebx, eax
    shl ebx, 5
    xor eax, ebx
    mov [edi], eax
    add edi, 4
    loop fill
    mov esi, AREA + N * 4 - 4   ; esi = the last slot still unsorted
pass:
    cmp esi, AREA
    jbe sorted
    mov edi, AREA
compare:
    mov eax, [edi]
    mov ebx, [edi+4]
    cmp eax, ebx
    jbe in_order
    mov [edi], ebx              ; swap the pair
    mov [edi+4], eax
in_order:
    add edi, 4
    cmp edi, esi
    jb compare
    sub esi, 4
    jmp pass
sorted:
    xor edx, edx                ; edx = the checksum
    mov edi, AREA
    mov ecx, 1                  ; ecx = i + 1
    xor ebx, ebx                ; ebx = the previous value
check:
    mov eax, [edi]
    cmp eax, ebx
    jb failed                   ; out of order
    mov ebx, eax
    imul eax, ecx
    add edx, eax
    add edi, 4
    inc ecx
    cmp ecx, N
    jbe check
    mov eax, edx
    ret
failed:
    mov eax, -1
    ret
