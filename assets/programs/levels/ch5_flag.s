; ch5_flag.s — the critical section of chapter 1 (cli, bump a counter, sti), with a
; paravirtualized form for cli and sti.
;
; Modified (GUEST_off / GUEST_on = 1): the kernel first tells the hypervisor where its
; event mask is (one hypercall), then turns "interrupts" off and on by writing that byte:
; 1 = off, 0 = on. No trap, no hypercall: a plain memory write (Xen's evtchn_upcall_mask).
; Expected output: "count 50", exit code 0.
;ko: ch5_flag.s — 1장의 임계 구역(cli, 카운터 증가, sti)에 cli와 sti의 반가상화 형태를
;ko: 더한 것.
;ko:
;ko: 수정된 형태(GUEST_off / GUEST_on = 1): 커널은 먼저 이벤트 마스크가 어디 있는지
;ko: 하이퍼바이저에 알리고(하이퍼콜 한 번), 그 뒤로는 그 바이트에 값을 써서 "인터럽트"를
;ko: 끄고 켭니다. 1 = 끔, 0 = 켬. 트랩도 하이퍼콜도 없는 평범한 메모리 쓰기입니다
;ko: (Xen의 evtchn_upcall_mask).
;ko: 예상 출력: "count 50", 종료 코드 0.

.equ N, 50
.equ HC_SHARED_INFO, 9          ; hypercall: ebx = address of the event-mask byte
                                ;ko: 하이퍼콜: ebx = 이벤트 마스크 바이트의 주소
.equ GUEST_off, 0
.equ GUEST_on, 0

_start:
    mov esp, 0x80000
.if GUEST_off | GUEST_on
    mov eax, HC_SHARED_INFO
    mov ebx, event_mask
    vmcall
.endif
    mov ecx, N
section:
off:
.if GUEST_off
    mov eax, 1                  ; modified: mask events in the shared page
                                ;ko: 수정된 형태: 공유 페이지에서 이벤트를 막음
    movb [event_mask], eax
.else
    cli                         ; slot `off`: privileged
                                ;ko: 슬롯 `off`: 특권 명령
.endif
    mov eax, [counter]
bump:
    inc eax                     ; slot `bump`: innocuous
                                ;ko: 슬롯 `bump`: 무해한 명령
    mov [counter], eax
on:
.if GUEST_on
    xor eax, eax                ; modified: unmask events in the shared page
                                ;ko: 수정된 형태: 공유 페이지에서 이벤트 막기를 풂
    movb [event_mask], eax
.else
    sti                         ; slot `on`: privileged
                                ;ko: 슬롯 `on`: 특권 명령
.endif
    loop section
    mov esi, msg
    call puts
    mov eax, [counter]
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

; Data on its own page: a write to a page of code would make a binary translator
; drop that page's translations (as it must for self-modifying code).
;ko: 데이터는 따로 한 페이지에 둡니다. 코드가 있는 페이지에 쓰면 이진 변환기는 그 페이지의
;ko: 변환 결과를 버려야 합니다(자기 수정 코드에 대비해야 하니까요).
.align 4096
counter:    .word 0
event_mask: .word 0
msg:        .asciz "count "
