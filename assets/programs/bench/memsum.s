; memsum.s: summing words over several pages (the `memsum` workload of `virtquest bench`).
;
; Shows:  a streaming read through memory from map(), one word after another across page
;         boundaries (a TLB entry per page), repeated ROUNDS times.
;
; Result: no output; PAGES pages are filled with word i = i * 2654435761 (mod 2^32); the exit
;         code is the sum of every word over ROUNDS rounds, modulo 2^32 (as a signed number),
;         or -1 when map() fails. Override PAGES and ROUNDS with -D.

.equ PAGES, 16
.equ ROUNDS, 20
.equ SYS_MAP, 6
.equ AREA, 0x10000000
.equ END, AREA + PAGES * 4096

main:
    mov eax, SYS_MAP
    mov ebx, AREA
    mov ecx, PAGES
    int 0x80
    test eax, eax
    jnz failed
    mov edi, AREA               ; fill
    xor eax, eax                ; eax = i * 2654435761
fill:
    mov [edi], eax
    add eax, 2654435761
    add edi, 4
    cmp edi, END
    jb fill
    xor edx, edx                ; edx = the sum
    mov ecx, ROUNDS
round:
    mov edi, AREA
sum:
    add edx, [edi]
    add edi, 4
    cmp edi, END
    jb sum
    loop round
    mov eax, edx
    ret
failed:
    mov eax, -1
    ret
