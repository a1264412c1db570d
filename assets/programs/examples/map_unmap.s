; map_unmap.s: ask the kernel for memory with map(), give it back with unmap().
;
; Shows:  map(vaddr, npages) gives the process new zeroed pages, but only page-aligned
;         and inside 0x10000000-0x7FFFFFFF; anything else (or a page already mapped)
;         returns -1. unmap() removes the pages and the kernel flushes their TLB entries
;         (invlpg), so the next access to them is a page fault: the process is killed,
;         and since it is process 1, its exit code 128 + 14 ends the run.
;
; Expected output:
;   map(0x20000000, 2) = 0
;   new pages start zeroed: 0
;   wrote 1111 and 2222, read back 1111 and 2222
;   map(0x20000000, 1) again = -1
;   map(0x00400000, 1) = -1
;   map(0x20000010, 1) = -1
;   unmap(0x20000000, 2) = 0
;   touching 0x20000000 again...
;   [minios] process 1 killed: #PF page fault at 0x20000000 (eip 0x00400358)
; Exit code: 142

.equ SYS_MAP, 6
.equ SYS_UNMAP, 7
.equ AREA, 0x20000000
.equ PAGE, 4096

main:
    mov eax, SYS_MAP
    mov ebx, AREA
    mov ecx, 2
    int 0x80
    mov ebx, s_map
    call print_result
    mov eax, [AREA+PAGE+100]    ; fresh pages hold zeros, never old data
    mov ebx, s_zeroed
    call print_result
    mov eax, 1111
    mov [AREA], eax             ; first page
    mov eax, 2222
    mov [AREA+PAGE], eax        ; second page
    mov ebx, s_wrote
    call print
    mov eax, [AREA]
    call print_num
    mov ebx, s_and
    call print
    mov eax, [AREA+PAGE]
    call print_num
    call newline

    mov eax, SYS_MAP            ; already mapped
    mov ebx, AREA
    mov ecx, 1
    int 0x80
    mov ebx, s_again
    call print_result
    mov eax, SYS_MAP            ; below the map area: that is where the program lives
    mov ebx, 0x00400000
    mov ecx, 1
    int 0x80
    mov ebx, s_low
    call print_result
    mov eax, SYS_MAP            ; not page aligned
    mov ebx, AREA + 16
    mov ecx, 1
    int 0x80
    mov ebx, s_unaligned
    call print_result

    mov eax, SYS_UNMAP
    mov ebx, AREA
    mov ecx, 2
    int 0x80
    mov ebx, s_unmap
    call print_result
    mov ebx, s_touch
    call print
    jmp touch

; --- the library's printing routines: print (the string at ebx), newline, print_num
; (the number in eax) and print_result (all three); every register is kept
.include "print.s"

touch:
    mov eax, [AREA]             ; unmapped now: #PF, and the kernel kills us
    ret

s_map:       .asciz "map(0x20000000, 2) = "
s_zeroed:    .asciz "new pages start zeroed: "
s_wrote:     .asciz "wrote 1111 and 2222, read back "
s_and:       .asciz " and "
s_again:     .asciz "map(0x20000000, 1) again = "
s_low:       .asciz "map(0x00400000, 1) = "
s_unaligned: .asciz "map(0x20000010, 1) = "
s_unmap:     .asciz "unmap(0x20000000, 2) = "
s_touch:     .asciz "touching 0x20000000 again...\n"
