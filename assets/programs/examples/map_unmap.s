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
;ko: map_unmap.s: map()으로 커널에 메모리를 받고, unmap()으로 돌려줍니다.
;ko:
;ko: 보여 주는 것:  map(vaddr, npages)는 0으로 채운 새 페이지를 프로세스에 줍니다. 단, 주소가
;ko:                페이지 경계에 맞고 0x10000000-0x7FFFFFFF 안에 있어야 합니다. 그 밖의 요청
;ko:                (이미 매핑된 페이지 포함)에는 -1을 돌려줍니다. unmap()은 페이지를 없애고
;ko:                커널이 그 TLB 항목을 비우므로(invlpg), 다음에 접근하면 페이지 폴트가 납니다.
;ko:                프로세스는 죽고, 프로세스 1이므로 그 종료 코드 128 + 14로 실행이 끝납니다.
;ko:
;ko: 예상 출력:
;ko:   map(0x20000000, 2) = 0
;ko:   new pages start zeroed: 0
;ko:   wrote 1111 and 2222, read back 1111 and 2222
;ko:   map(0x20000000, 1) again = -1
;ko:   map(0x00400000, 1) = -1
;ko:   map(0x20000010, 1) = -1
;ko:   unmap(0x20000000, 2) = 0
;ko:   touching 0x20000000 again...
;ko:   [minios] process 1 killed: #PF page fault at 0x20000000 (eip 0x00400358)
;ko: 종료 코드: 142

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
                                ;ko: 새 페이지에는 0만 있고, 예전 데이터는 절대 없음
    mov ebx, s_zeroed
    call print_result
    mov eax, 1111
    mov [AREA], eax             ; first page
                                ;ko: 첫째 페이지
    mov eax, 2222
    mov [AREA+PAGE], eax        ; second page
                                ;ko: 둘째 페이지
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
                                ;ko: 이미 매핑됨
    mov ebx, AREA
    mov ecx, 1
    int 0x80
    mov ebx, s_again
    call print_result
    mov eax, SYS_MAP            ; below the map area: that is where the program lives
                                ;ko: map 영역 아래: 프로그램이 사는 곳
    mov ebx, 0x00400000
    mov ecx, 1
    int 0x80
    mov ebx, s_low
    call print_result
    mov eax, SYS_MAP            ; not page aligned
                                ;ko: 페이지 경계에 맞지 않음
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
;ko: --- 라이브러리의 출력 루틴: print(ebx가 가리키는 문자열), newline, print_num(eax의 수),
;ko: print_result(셋을 차례로). 모든 레지스터를 그대로 둠
.include "print.s"

touch:
    mov eax, [AREA]             ; unmapped now: #PF, and the kernel kills us
                                ;ko: 이제 매핑되지 않음: #PF, 커널이 이 프로세스를 죽임
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
