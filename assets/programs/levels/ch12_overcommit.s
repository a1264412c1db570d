; ch12_overcommit.s — a program that needs a lot of memory for a while, then little.
;
; It builds a cache of BIG pages (map, fill, add up), drops it (unmap), then works for a
; long time in SMALL pages. Run as two guests of one host, the second starting when the
; first has dropped its cache: the host does not see that the first guest's cache pages are
; free now, unless the guest tells it.
; Expected output: "cache -105873408, work 884998144", exit code 0.
;
; The modified guest (the Guest choice on `reclaim`) calls the balloon driver after the unmap:
; the kernel hands BIG free frames to the hypervisor.
;ko: ch12_overcommit.s — 한동안 메모리를 많이 쓰다가 그다음에는 조금만 쓰는 프로그램.
;ko:
;ko: BIG개 페이지로 캐시를 만들고(map, 채우기, 합하기) 버린 뒤(unmap), 오랫동안 SMALL개
;ko: 페이지로 일합니다. 한 호스트의 게스트 둘로 실행하는데, 둘째 게스트는 첫째가 캐시를 버린
;ko: 뒤에 시작합니다. 게스트가 알려 주지 않으면, 호스트는 첫째 게스트의 캐시 페이지가 이제
;ko: 비었다는 것을 모릅니다.
;ko: 예상 출력: "cache -105873408, work 884998144", 종료 코드 0.
;ko:
;ko: 고친 게스트(`reclaim`의 게스트 선택)는 unmap 뒤에 벌룬 드라이버를 부릅니다. 커널이 빈
;ko: 프레임 BIG개를 하이퍼바이저에 넘깁니다.

.equ SYS_EXIT, 1
.equ SYS_MAP, 6
.equ SYS_UNMAP, 7
.equ SYS_BALLOON, 12
.equ BIG, 64                    ; pages of the cache
                                ;ko: 캐시의 페이지 수
.equ SMALL, 8                   ; pages of the work that follows
                                ;ko: 그다음 일의 페이지 수
.equ PASSES, 16                 ; times the work goes over its pages
                                ;ko: 일이 자기 페이지를 훑는 횟수
.equ CACHE, 0x10000000
.equ WORK, 0x20000000
.equ GUEST_reclaim, 0           ; 1: the balloon driver gives the cache back (Guest choice)
                                ;ko: 1: 벌룬 드라이버가 캐시를 돌려줌(게스트 선택)

main:
    mov eax, SYS_MAP
    mov ebx, CACHE
    mov ecx, BIG
    int 0x80
    mov ebx, CACHE
    mov ecx, BIG
    mov edx, 1
    call fill                   ; eax = the sum of what was written
                                ;ko: eax = 쓴 값의 합
    mov ebx, s_cache
    call print_result_inline
    mov eax, SYS_UNMAP          ; the cache is dropped: its frames are free in the guest
                                ;ko: 캐시를 버림: 게스트 안에서는 그 프레임이 빈 프레임
    mov ebx, CACHE
    mov ecx, BIG
reclaim:
    int 0x80                    ; slot `reclaim`: who gets the freed memory back to the host?
                                ;ko: 슬롯 `reclaim`: 해제된 메모리를 누가 호스트에 돌려주나?
.if GUEST_reclaim
    mov eax, SYS_BALLOON        ; the balloon driver: BIG free frames to the hypervisor
                                ;ko: 벌룬 드라이버: 빈 프레임 BIG개를 하이퍼바이저에
    mov ebx, BIG
    int 0x80
.endif
    mov eax, SYS_MAP
    mov ebx, WORK
    mov ecx, SMALL
    int 0x80
    xor edi, edi
    mov esi, PASSES
work_pass:
    mov ebx, WORK
    mov ecx, SMALL
    mov edx, esi
    call fill
    add edi, eax
    dec esi
    jne work_pass
    mov eax, edi
    mov ebx, s_work
    call print_result
    mov eax, SYS_EXIT
    xor ebx, ebx
    int 0x80

; ebx = first page, ecx = pages, edx = seed: word i of the area = seed * 0x9E3779B1 + i.
; Returns eax = the sum of the words written (mod 2^32).
;ko: ebx = 첫 페이지, ecx = 페이지 수, edx = 씨앗: 영역의 i번째 워드 = 씨앗 * 0x9E3779B1 + i.
;ko: 쓴 워드의 합(2^32로 나눈 나머지)을 eax로 돌려줌.
fill:
    push esi
    shl ecx, 10                 ; words
                                ;ko: 워드 수
    imul edx, 0x9E3779B1
    xor eax, eax
fill_word:
identical:
    mov [ebx], edx              ; slot `identical`: pages equal to the other guest's?
                                ;ko: 슬롯 `identical`: 다른 게스트의 페이지와 같은 페이지?
    add eax, edx
    inc edx
    add ebx, 4
    dec ecx
    jne fill_word
    pop esi
    ret

; like print_result, without the newline
;ko: print_result와 같되 줄바꿈 없이
print_result_inline:
    call print
    jmp print_num

s_cache: .asciz "cache "
s_work:  .asciz ", work "

.include "print.s"
