; ch2_timer.s — timer interrupts while the guest kernel computes.
;
; The kernel installs a timer handler in its IDT, starts the timer and computes.
; Every timer interrupt runs the handler, which counts the tick and returns with iret.
; Expected output: "sum 1125750, ticks 4", exit code 0 (the ticks fall at the same
; points of the guest's work in every mode: the guest's clock counts only its own work).
;ko: ch2_timer.s — 게스트 커널이 계산하는 동안 들어오는 타이머 인터럽트.
;ko:
;ko: 커널은 인터럽트 테이블(IDT)에 타이머 핸들러를 등록하고, 타이머를 켠 뒤 계산합니다.
;ko: 타이머 인터럽트가 올 때마다 핸들러가 틱을 세고 iret으로 돌아갑니다.
;ko: 예상 출력: "sum 1125750, ticks 4", 종료 코드 0. 게스트의 시계는 게스트 자신의 작업만
;ko: 세므로, 어느 모드에서든 틱은 게스트 작업의 같은 지점에 떨어집니다.

.equ N, 1500
.equ PERIOD, 800                ; cycles of guest work between timer interrupts
                                ;ko: 타이머 인터럽트 사이의 게스트 작업 사이클 수
.equ VEC_TIMER, 32

_start:
    mov esp, 0x80000
    lidt [idtr]
    mov eax, PERIOD
    out 0x40, eax               ; start the timer
                                ;ko: 타이머 켜기
    sti
    xor ebx, ebx
    mov ecx, N
work:
crunch:
    add ebx, ecx                ; slot `crunch`: innocuous
                                ;ko: 슬롯 `crunch`: 무해한 명령
    loop work
    cli
    xor eax, eax
    out 0x40, eax               ; stop the timer
                                ;ko: 타이머 끄기
    mov esi, s_sum
    call puts
    mov eax, ebx
    call print_dec
    mov esi, s_ticks
    call puts
    mov eax, [ticks]
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

timer_handler:
    push eax
    mov eax, [ticks]
tick:
    inc eax                     ; slot `tick`: innocuous
                                ;ko: 슬롯 `tick`: 무해한 명령
    mov [ticks], eax
    pop eax
    add esp, 4                  ; drop the error code
                                ;ko: 오류 코드 버리기
back:
    iret                        ; slot `back`: sensitive; under trap & emulate it traps anyway
                                ; (the frame returns to ring 0, more privileged than ring 1)
                                ;ko: 슬롯 `back`: 민감 명령. 트랩 & 에뮬레이션에서는 그래도 트랩됨
                                ;ko: (프레임이 돌아갈 곳이 링 1보다 특권이 높은 링 0이므로)

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

; Data on its own page: a write to a page of code would make a binary translator
; drop that page's translations (as it must for self-modifying code).
;ko: 데이터는 따로 한 페이지에 둡니다. 코드가 있는 페이지에 쓰면 이진 변환기는 그 페이지의
;ko: 변환 결과를 버려야 합니다(자기 수정 코드에 대비해야 하니까요).
.align 4096
ticks:   .word 0
s_sum:   .asciz "sum "
s_ticks: .asciz ", ticks "
idtr:    .word idt, (VEC_TIMER + 1) * 8 - 1
.align 8
idt:     .zero VEC_TIMER * 8
         .word timer_handler, 1  ; present, DPL 0
                                 ;ko: 존재함(present), DPL 0
