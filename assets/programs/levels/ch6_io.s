; ch6_io.s — a console driver that guards each character with cli / sti.
;
; Expected output: the message below, exit code 0.
;ko: ch6_io.s — 글자마다 cli / sti로 감싸 보호하는 콘솔 드라이버.
;ko:
;ko: 예상 출력: 아래 메시지, 종료 코드 0.

_start:
    mov esp, 0x80000
    mov esi, message
next:
    movb eax, [esi]
    test eax, eax
    je done
off:
    cli                         ; slot `off`: privileged
                                ;ko: 슬롯 `off`: 특권 명령
emit:
    out 0xE9, eax               ; slot `emit`: privileged (port I/O)
                                ;ko: 슬롯 `emit`: 특권 명령(포트 입출력)
on:
    sti                         ; slot `on`: privileged
                                ;ko: 슬롯 `on`: 특권 명령
    inc esi
    jmp next
done:
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

message: .asciz "root mode, non-root mode, and the VMCS between them.\n"
