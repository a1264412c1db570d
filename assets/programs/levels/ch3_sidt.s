; ch3_sidt.s — a guest kernel asks the CPU where its interrupt table is (sidt), then
; installs its timer handler there.
;
; Expected output: "timer handler installed", "tick", exit code 0. If SIDT answers with
; an address that is not the kernel's own table, the kernel refuses to write there and
; panics (exit code 1).
;ko: ch3_sidt.s — 게스트 커널이 자기 인터럽트 테이블이 어디 있는지 CPU에 묻고(sidt),
;ko: 그곳에 타이머 핸들러를 등록합니다.
;ko:
;ko: 예상 출력: "timer handler installed", "tick", 종료 코드 0. SIDT가 커널 자신의 테이블이
;ko: 아닌 주소를 알려 주면, 커널은 그곳에 쓰기를 거부하고 패닉에 빠집니다(종료 코드 1).

.equ VEC_TIMER, 32
.equ PERIOD, 300
.equ GUEST_find, 0

_start:
    mov esp, 0x80000
load:
    lidt [idtr]                 ; slot `load`: privileged
                                ;ko: 슬롯 `load`: 특권 명령
find:
.if GUEST_find
    mov eax, idt                ; modified: the kernel remembers where it put its table
                                ;ko: 수정된 형태: 커널이 테이블을 둔 곳을 스스로 기억함
    mov [probe], eax
.else
    sidt [probe]                ; slot `find`: sensitive (sidt)
                                ;ko: 슬롯 `find`: 민감 명령(sidt)
.endif
    mov ebx, [probe]            ; the IDT's base, as the CPU reported it
                                ;ko: CPU가 알려 준 IDT의 시작 주소
    cmp ebx, idt
    jne confused
    mov eax, timer_handler      ; install vector 32: handler, present
                                ;ko: 벡터 32 등록: 핸들러, 존재함(present)
    mov [ebx + VEC_TIMER * 8], eax
    mov eax, 1
    mov [ebx + VEC_TIMER * 8 + 4], eax
    mov esi, s_installed
    call puts
    mov eax, PERIOD
    out 0x40, eax
    sti
    hlt                         ; wait for the first tick
                                ;ko: 첫 틱을 기다림
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

confused:
    mov esi, s_panic
    call puts
    mov eax, 1
    out 0xF4, eax               ; power off, exit code 1
                                ;ko: 전원 끄기, 종료 코드 1

timer_handler:
    xor eax, eax
    out 0x40, eax               ; stop the timer
                                ;ko: 타이머 끄기
    mov esi, s_tick
    call puts
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
probe:       .word 0, 0
s_installed: .asciz "timer handler installed\n"
s_tick:      .asciz "tick\n"
s_panic:     .asciz "panic: SIDT says my IDT is somewhere else!\n"
idtr:        .word idt, (VEC_TIMER + 1) * 8 - 1
.align 8
idt:         .zero (VEC_TIMER + 1) * 8
