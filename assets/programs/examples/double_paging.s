; double_paging.s: a program swaps its own cold pages out to the disk and back.
;
; Shows:  page_out(vaddr, slot) and page_in(vaddr, slot) are system calls 13 and 14: a page
;         goes to a slot of the disk by DMA and is unmapped, or comes back into a new page.
;         The program fills AREA_PAGES pages, works a while on the last HOT of them only,
;         then sends the COLD pages it filled first (untouched since) to the disk, brings
;         them back and adds up every word. Run it as a guest of a host short of memory that
;         swaps on its own (docs/hosts.md): the host's clock, which also picks the pages
;         untouched the longest, has often swapped those very pages already, so the host
;         reads each back from its swap only for it to be written to the guest's disk —
;         the double-paging problem.
;
; Expected output:
;   sum -1056473088
; Exit code: 0
;ko: double_paging.s: 프로그램이 오래 쓰지 않은 자기 페이지를 직접 디스크로 내보냈다가 되돌립니다.
;ko:
;ko: 보여 주는 것:  page_out(vaddr, slot)과 page_in(vaddr, slot)은 시스템 콜 13번과 14번입니다.
;ko:                페이지를 DMA로 디스크의 슬롯에 쓰고 매핑을 풀거나, 새 페이지로 되돌립니다.
;ko:                프로그램은 AREA_PAGES개 페이지를 채우고, 한동안 마지막 HOT개 페이지로만
;ko:                일한 뒤, 먼저 채우고 그 뒤로 건드리지 않은 COLD개 페이지를 디스크로 보냈다가
;ko:                되돌려 모든 워드를 더합니다. 메모리가 모자라 스스로 스와핑하는 호스트의
;ko:                게스트로 돌리면(docs/hosts.md), 역시 가장 오래 건드리지 않은 페이지를 고르는
;ko:                호스트의 클록이 바로 그 페이지들을 이미 스왑해 둔 경우가 많습니다. 그래서
;ko:                호스트는 페이지마다 자기 스왑에서 다시 읽어 들였다가 곧바로 게스트의 디스크로
;ko:                내보냅니다. 이것이 이중 페이징 문제입니다.
;ko:
;ko: 예상 출력:
;ko:   sum -1056473088
;ko: 종료 코드: 0

.equ SYS_EXIT, 1
.equ SYS_MAP, 6
.equ SYS_PAGE_OUT, 13
.equ SYS_PAGE_IN, 14
.equ AREA_PAGES, 32
.equ COLD, 24                   ; pages sent to the disk
                                ;ko: 디스크로 보내는 페이지 수
.equ HOT, 4                     ; pages the work goes over
                                ;ko: 일하면서 훑는 페이지 수
.equ PASSES, 20
.equ AREA, 0x10000000

main:
    mov eax, SYS_MAP
    mov ebx, AREA
    mov ecx, AREA_PAGES
    int 0x80
    xor esi, esi                ; word j of page i = i * 0x10001 + j
                                ;ko: i번째 페이지의 j번째 워드 = i * 0x10001 + j
fill_page:
    mov ebx, esi
    shl ebx, 12
    add ebx, AREA
    mov edx, esi
    imul edx, 0x10001
    mov ecx, 1024
fill_word:
    mov [ebx], edx
    inc edx
    add ebx, 4
    dec ecx
    jne fill_word
    inc esi
    cmp esi, AREA_PAGES
    jb fill_page

    mov edi, PASSES             ; work on the hot pages only (reading them)
                                ;ko: 뜨거운 페이지로만 일함(읽기만)
work_pass:
    mov ebx, AREA + (AREA_PAGES - HOT) * 4096
    mov ecx, HOT * 1024
    xor eax, eax
work_word:
    add eax, [ebx]
    add ebx, 4
    dec ecx
    jne work_word
    dec edi
    jne work_pass

    xor esi, esi                ; the cold pages go to the disk, page i to slot i
                                ;ko: 차가운 페이지를 디스크로, i번째 페이지는 i번 슬롯으로
page_out:
    mov ebx, esi
    shl ebx, 12
    add ebx, AREA
    mov ecx, esi
    mov eax, SYS_PAGE_OUT
    int 0x80
    inc esi
    cmp esi, COLD
    jb page_out

    xor esi, esi                ; and come back
                                ;ko: 그리고 돌아옴
page_in:
    mov ebx, esi
    shl ebx, 12
    add ebx, AREA
    mov ecx, esi
    mov eax, SYS_PAGE_IN
    int 0x80
    inc esi
    cmp esi, COLD
    jb page_in

    mov ebx, AREA               ; add up every word of every page
                                ;ko: 모든 페이지의 모든 워드를 더함
    mov ecx, AREA_PAGES * 1024
    xor eax, eax
add_word:
    add eax, [ebx]
    add ebx, 4
    dec ecx
    jne add_word
    mov ebx, s_sum
    call print_result
    mov eax, SYS_EXIT
    xor ebx, ebx
    int 0x80

s_sum: .asciz "sum "

.include "print.s"
