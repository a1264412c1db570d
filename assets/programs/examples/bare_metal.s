; bare_metal.s: a `_start` program: no mini-OS at all.
;
; Shows:  with `_start:` the program itself is loaded at address 0 and runs from reset,
;         at CPL 0 with paging off and no kernel underneath: it owns the machine. It
;         writes the console port directly and ends the run by writing its exit code
;         to the power-off port 0xF4.
;
; Expected output:
;   bare metal: CPL 0, paging off, 6 * 7 = 42
; Exit code: 42
;ko: bare_metal.s: `_start` 프로그램. mini-OS가 전혀 없습니다.
;ko:
;ko: 보여 주는 것:  `_start:`가 있으면 프로그램 자체가 주소 0에 올라가 리셋부터 실행됩니다.
;ko:                CPL 0이고 페이징은 꺼져 있으며 아래에 커널이 없으니, 기계 전체가 프로그램의
;ko:                것입니다. 콘솔 포트에 직접 쓰고, 전원 끄기 포트 0xF4에 종료 코드를 써서
;ko:                실행을 끝냅니다.
;ko:
;ko: 예상 출력:
;ko:   bare metal: CPL 0, paging off, 6 * 7 = 42
;ko: 종료 코드: 42

_start:
    mov esi, s_hello
    call puts
    mov eax, cs
    and eax, 3
    add eax, '0'
    out 0xE9, eax
    mov esi, s_paging
    call puts
    mov eax, cr0
    mov esi, s_on
    test eax, 0x80000000        ; cr0.PG
                                ;ko: cr0.PG(페이징 비트)
    jne paging_said
    mov esi, s_off
paging_said:
    call puts
    mov eax, 6
    imul eax, 7
    push eax
    mov ecx, 10                 ; print a two-digit number
                                ;ko: 두 자리 수 출력
    xor edx, edx                ; (div divides edx:eax)
                                ;ko: (div는 edx:eax를 나눔)
    div ecx
    add eax, '0'
    out 0xE9, eax
    add edx, '0'
    out 0xE9, edx
    mov eax, 10
    out 0xE9, eax
    pop eax
    out 0xF4, eax               ; power off: the exit code is 42
                                ;ko: 전원 끄기: 종료 코드는 42

; the library's console routines: puts prints the string at esi to port 0xE9
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을 포트 0xE9로 출력
.include "console.s"

s_hello:  .asciz "bare metal: CPL "
s_paging: .asciz ", paging "
s_on:     .asciz "on, 6 * 7 = "
s_off:    .asciz "off, 6 * 7 = "
