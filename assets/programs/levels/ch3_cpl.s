; ch3_cpl.s — a cautious guest kernel checks that it runs in kernel mode (CPL 0)
; before it touches the hardware, by reading the low two bits of cs.
;
; Expected output: "kernel mode: ok", then "interrupts off, on", exit code 0.
; If the check fails the kernel panics (exit code 2).
;ko: ch3_cpl.s — 조심성 많은 게스트 커널이 하드웨어를 만지기 전에 cs의 하위 두 비트를 읽어
;ko: 자기가 커널 모드(CPL 0)에서 도는지 확인합니다.
;ko:
;ko: 예상 출력: "kernel mode: ok", 이어서 "interrupts off, on", 종료 코드 0.
;ko: 확인에 실패하면 커널은 패닉에 빠집니다(종료 코드 2).

.equ GUEST_who, 0

_start:
    mov esp, 0x80000
who:
.if GUEST_who
    xor eax, eax                ; modified: a PV kernel knows it runs deprivileged; it does not ask
                                ;ko: 수정된 형태: 반가상화 커널은 특권을 빼앗긴 채 돈다는 것을 알기에 묻지 않음
.else
    mov eax, cs                 ; slot `who`: sensitive (mov r, cs)
                                ;ko: 슬롯 `who`: 민감 명령(mov r, cs)
.endif
    and eax, 3
    jne not_kernel
    mov esi, s_ok
    call puts
off:
    cli                         ; slot `off`: privileged
                                ;ko: 슬롯 `off`: 특권 명령
    mov esi, s_off
    call puts
on:
    sti                         ; slot `on`: privileged
                                ;ko: 슬롯 `on`: 특권 명령
    mov esi, s_on
    call puts
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

not_kernel:
    mov esi, s_panic
    call puts
    mov eax, 2
    out 0xF4, eax               ; power off, exit code 2
                                ;ko: 전원 끄기, 종료 코드 2

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

s_ok:    .asciz "kernel mode: ok\n"
s_off:   .asciz "interrupts off, "
s_on:    .asciz "on\n"
s_panic: .asciz "panic: not in kernel mode\n"
