; ch12_migrate.s — a guest that keeps writing while it is moved to another host.
;
; It fills COLD pages once (data that then stays as it is), then goes over HOT pages PASSES
; times, rewriting every word, and prints the sums. Moved by live migration while it runs,
; it must print exactly what it prints when it never moves.
; Expected output: "cold 1459617792, hot 3556769792", exit code 0.
;ko: ch12_migrate.s — 다른 호스트로 옮겨지는 동안에도 계속 메모리에 쓰는 게스트.
;ko:
;ko: COLD개 페이지를 한 번 채운 뒤(그 뒤로는 그대로 있는 데이터), HOT개 페이지를 PASSES번
;ko: 훑으며 모든 워드를 다시 쓰고, 합을 출력합니다. 실행 중에 라이브 마이그레이션으로
;ko: 옮겨져도, 옮겨지지 않았을 때와 똑같이 출력해야 합니다.
;ko: 예상 출력: "cold 1459617792, hot 3556769792", 종료 코드 0.

.equ SYS_EXIT, 1
.equ SYS_MAP, 6
.equ COLD, 64                   ; pages written once
                                ;ko: 한 번만 쓰는 페이지 수
.equ HOT, 12                     ; pages written again and again
                                ;ko: 계속 다시 쓰는 페이지 수
.equ PASSES, 30
.equ AREA, 0x10000000
.equ HOT_AREA, AREA + COLD * 4096

main:
    mov eax, SYS_MAP
    mov ebx, AREA
    mov ecx, COLD + HOT
    int 0x80
    mov ebx, AREA
    mov ecx, COLD
    mov edx, 7
    call fill
    mov ebx, s_cold
    call print
    call print_num
    xor edi, edi
    mov esi, PASSES
hot_pass:
    mov ebx, HOT_AREA
    mov ecx, HOT
    mov edx, esi
    call fill
    add edi, eax
    dec esi
    jne hot_pass
    mov ebx, AREA               ; read the cold data back: a page the move lost would show
                                ;ko: 차가운 데이터를 다시 읽음: 옮기다 잃은 페이지가 있으면 드러남
    mov ecx, COLD * 1024
    xor eax, eax
check:
    add eax, [ebx]
    add ebx, 4
    dec ecx
    jne check
    add eax, edi
    mov ebx, s_hot
    call print_result
    mov eax, SYS_EXIT
    xor ebx, ebx
    int 0x80

; ebx = first page, ecx = pages, edx = seed: word i of the area = seed * 0x9E3779B1 + i.
; Returns eax = the sum of the words written (mod 2^32).
;ko: ebx = 첫 페이지, ecx = 페이지 수, edx = 씨앗: 영역의 i번째 워드 = 씨앗 * 0x9E3779B1 + i.
;ko: 쓴 워드의 합(2^32로 나눈 나머지)을 eax로 돌려줌.
fill:
    shl ecx, 10
    imul edx, 0x9E3779B1
    xor eax, eax
fill_word:
dirty:
    mov [ebx], edx              ; slot `dirty`: who notices that this page changed?
                                ;ko: 슬롯 `dirty`: 이 페이지가 바뀐 것을 누가 알아채나?
    add eax, edx
    inc edx
    add ebx, 4
    dec ecx
    jne fill_word
    ret

s_cold: .asciz "cold "
s_hot:  .asciz ", hot "

.include "print.s"
