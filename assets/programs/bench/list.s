; list.s: walking a linked list (the `list` workload of `virtquest bench`).
;
; Shows:  pointer chasing: each load gives the address of the next node, so the walk jumps
;         around memory from map() in an order the program does not follow linearly.
;
; Result: no output; NODES nodes of 8 bytes (next, value) are linked in the order
;         0, STRIDE, 2 STRIDE, … (mod NODES; STRIDE and NODES coprime), node k holding k * 3 + 1;
;         the exit code is the sum of the values met on ROUNDS walks of the whole list,
;         modulo 2^32 (as a signed number), or -1 when map() fails. Override with -D.

.equ NODES, 2000
.equ STRIDE, 617
.equ ROUNDS, 20
.equ SYS_MAP, 6
.equ AREA, 0x10000000
.equ PAGES, (NODES * 8 + 4095) / 4096

main:
    mov eax, SYS_MAP
    mov ebx, AREA
    mov ecx, PAGES
    int 0x80
    test eax, eax
    jnz failed
    xor esi, esi                ; esi = k, the node being linked
    mov ecx, NODES              ; link NODES nodes; the last one points back to node 0
link:
    mov eax, esi
    shl eax, 3
    add eax, AREA               ; eax = &node[k]
    mov ebx, esi
    imul ebx, 3
    inc ebx
    mov [eax+4], ebx            ; value = k * 3 + 1
    add esi, STRIDE             ; the next node: (k + STRIDE) mod NODES
    cmp esi, NODES
    jb link_next
    sub esi, NODES
link_next:
    mov ebx, esi
    shl ebx, 3
    add ebx, AREA
    mov [eax], ebx              ; next = &node[k']
    loop link
    xor edx, edx                ; edx = the sum
    mov edi, ROUNDS
walk_round:
    mov eax, AREA               ; from node 0, NODES steps
    mov ecx, NODES
walk:
    add edx, [eax+4]
    mov eax, [eax]
    loop walk
    dec edi
    jnz walk_round
    mov eax, edx
    ret
failed:
    mov eax, -1
    ret
