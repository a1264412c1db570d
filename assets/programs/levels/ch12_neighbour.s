; ch12_neighbour.s — a guest that tries to learn about its neighbour from the clock.
;
; It writes a page of well-known contents (think of a page of a library every system
; has), waits a while, then times one more write to that page with rdtsc. On bare hardware
; a write takes a few cycles. On a host that shares identical pages between guests, the page
; may have been merged with the same page of another guest; then the write is a copy-on-write
; fault and takes thousands of cycles: the guest has learned what its neighbour holds.
; Expected output: "neighbour: not seen", exit code 0.
;ko: ch12_neighbour.s — 시계를 보고 이웃 게스트에 대해 알아내려는 게스트.
;ko:
;ko: 누구나 아는 내용의 페이지(어느 시스템에나 있는 라이브러리의 한 페이지를 떠올리세요)를
;ko: 쓰고, 한동안 기다린 뒤, 그 페이지에 한 번 더 쓰는 시간을 rdtsc로 잽니다. 실제 하드웨어에서
;ko: 쓰기는 몇 사이클이면 끝납니다. 게스트 사이에 같은 페이지를 공유하는 호스트에서는 그
;ko: 페이지가 다른 게스트의 같은 페이지와 합쳐졌을 수 있고, 그러면 쓰기가 copy-on-write 폴트가
;ko: 되어 수천 사이클이 걸립니다. 게스트가 이웃이 가진 것을 알아낸 셈입니다.
;ko: 예상 출력: "neighbour: not seen", 종료 코드 0.

.equ SYS_EXIT, 1
.equ SYS_MAP, 6
.equ PAGE_AREA, 0x10000000
.equ WAIT, 150000               ; turns of the waiting loop
                                ;ko: 기다리는 루프의 반복 횟수
.equ SLOW, 1000                 ; cycles: a write slower than this was not a plain write
                                ;ko: 사이클: 이보다 느린 쓰기는 평범한 쓰기가 아님

main:
    mov eax, SYS_MAP
    mov ebx, PAGE_AREA
    mov ecx, 1
    int 0x80
    mov ebx, PAGE_AREA          ; the well-known page: word i = 0x600DF00D + i
                                ;ko: 누구나 아는 페이지: i번째 워드 = 0x600DF00D + i
    mov ecx, 1024
    mov edx, 0x600DF00D
fill:
identical:
    mov [ebx], edx              ; slot `identical`: will the host merge equal pages?
                                ;ko: 슬롯 `identical`: 호스트가 같은 페이지를 합칠까?
    inc edx
    add ebx, 4
    dec ecx
    jne fill
    mov ecx, WAIT               ; wait: give a scanner time to find the page
                                ;ko: 기다림: 스캐너가 페이지를 찾을 시간을 줌
wait:
    dec ecx
    jne wait
    mov edx, 0x600DF00D         ; the same value again: the contents do not change
                                ;ko: 같은 값을 다시 씀: 내용은 바뀌지 않음
probe_start:
    rdtsc                       ; slot `probe_start`: the time before the write
                                ;ko: 슬롯 `probe_start`: 쓰기 전 시각
    mov esi, eax
    mov [PAGE_AREA], edx
probe_end:
    rdtsc                       ; slot `probe_end`: the time after it
                                ;ko: 슬롯 `probe_end`: 쓴 뒤 시각
    sub eax, esi
    mov ebx, s_seen
    cmp eax, SLOW
    ja verdict
    mov ebx, s_not_seen
verdict:
    call print
    mov eax, SYS_EXIT
    xor ebx, ebx
    int 0x80

s_seen:     .asciz "neighbour: seen (a shared page)\n"
s_not_seen: .asciz "neighbour: not seen\n"

.include "print.s"
