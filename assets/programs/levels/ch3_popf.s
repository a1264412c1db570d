; ch3_popf.s — a guest kernel saves its flags, turns interrupts off, and restores them.
;
; The classic pattern:  pushf / cli / ... / popf.  After restoring, the kernel sleeps
; (hlt) until the next timer interrupt. It also peeks at its flags inside the critical
; section. Expected output: "inside: IF=0" then "woke up on tick 1", exit code 0.
;
; Guest forms (a modified, paravirtualized kernel): the interrupt flag lives in an
; event-mask byte shared with the hypervisor (1 = interrupts off), as in Xen.
;ko: ch3_popf.s — 게스트 커널이 플래그를 저장하고, 인터럽트를 껐다가, 플래그를 되돌립니다.
;ko:
;ko: 흔히 쓰는 패턴:  pushf / cli / ... / popf.  되돌린 뒤 커널은 다음 타이머 인터럽트까지
;ko: 잠듭니다(hlt). 임계 구역 안에서는 자기 플래그를 한 번 들여다보기도 합니다.
;ko: 예상 출력: "inside: IF=0", 이어서 "woke up on tick 1", 종료 코드 0.
;ko:
;ko: 게스트 형태(수정된 반가상화 커널): Xen처럼 인터럽트 플래그가 하이퍼바이저와 공유하는
;ko: 이벤트 마스크 바이트에 있습니다(1 = 인터럽트 꺼짐).

.equ PERIOD, 400
.equ VEC_TIMER, 32
.equ IF, 0x200
.equ HC_SHARED_INFO, 9          ; hypercall: "my event mask is at ebx"
                                ;ko: 하이퍼콜: "내 이벤트 마스크는 ebx에 있음"
.equ GUEST_peek, 0
.equ GUEST_restore, 0

_start:
    mov esp, 0x80000
    lidt [idtr]
.if GUEST_peek | GUEST_restore
    mov eax, HC_SHARED_INFO
    mov ebx, event_mask
    vmcall                      ; the modified kernel shares its event mask
                                ;ko: 수정된 커널이 이벤트 마스크를 공유함
.endif
    mov eax, PERIOD
    out 0x40, eax               ; start the timer
                                ;ko: 타이머 켜기
    sti
    pushf                       ; save the flags (interrupts are on)
                                ;ko: 플래그 저장(인터럽트가 켜진 상태)
    pop eax
    mov [saved], eax
off:
    cli                         ; slot `off`: privileged
                                ;ko: 슬롯 `off`: 특권 명령
    mov ecx, 20                 ; a little work no interrupt may see half done
                                ;ko: 인터럽트가 반쯤 된 상태를 보면 안 되는 짧은 작업
busy:
    loop busy
peek:
.if GUEST_peek
    movb eax, [event_mask]      ; modified: read the shared mask instead of pushf
                                ;ko: 수정된 형태: pushf 대신 공유 마스크를 읽음
    xor eax, 1
    shl eax, 9                  ; IF is bit 9
                                ;ko: IF는 9번 비트
    push eax
.else
    pushf                       ; slot `peek`: sensitive (pushf)
                                ;ko: 슬롯 `peek`: 민감 명령(pushf)
.endif
    pop eax
    and eax, IF
    shr eax, 9
    add eax, '0'
    movb [inside_digit], eax
    mov esi, s_inside
    call puts
    mov eax, [saved]
.if GUEST_restore == 0
    push eax
.endif
restore:
.if GUEST_restore
    and eax, IF                 ; modified: write the shared mask instead of popf
                                ;ko: 수정된 형태: popf 대신 공유 마스크에 씀
    shr eax, 9
    xor eax, 1
    movb [event_mask], eax
.else
    popf                        ; slot `restore`: sensitive (popf)
                                ;ko: 슬롯 `restore`: 민감 명령(popf)
.endif
    hlt                         ; sleep until the timer interrupt
                                ;ko: 타이머 인터럽트까지 잠듦
    mov esi, s_woke
    call puts
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

timer_handler:
    push eax
    xor eax, eax
    out 0x40, eax               ; one tick is enough: stop the timer
                                ;ko: 틱은 한 번이면 충분하니 타이머를 끔
    pop eax
    add esp, 4
    iret

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

; Data on its own page: a write to a page of code would make a binary translator
; drop that page's translations (as it must for self-modifying code).
;ko: 데이터는 따로 한 페이지에 둡니다. 코드가 있는 페이지에 쓰면 이진 변환기는 그 페이지의
;ko: 변환 결과를 버려야 합니다(자기 수정 코드에 대비해야 하니까요).
.align 4096
saved:        .word 0
event_mask:   .word 0
s_inside:     .ascii "inside: IF="
inside_digit: .asciz "?\n"
s_woke:       .asciz "woke up on tick 1\n"
idtr:         .word idt, (VEC_TIMER + 1) * 8 - 1
.align 8
idt:          .zero VEC_TIMER * 8
              .word timer_handler, 1
