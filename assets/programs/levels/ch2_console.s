; ch2_console.s — a tiny console driver in the guest kernel: one `out` per character.
;
; Expected output: the message below, exit code 0.
;ko: ch2_console.s — 게스트 커널 안의 작은 콘솔 드라이버: 글자마다 `out` 한 번.
;ko:
;ko: 예상 출력: 아래 메시지, 종료 코드 0.

_start:
    mov esp, 0x80000
    mov esi, message
next:
    movb eax, [esi]
    test eax, eax
    je done
emit:
    out 0xE9, eax               ; slot `emit`: privileged, once per character
                                ;ko: 슬롯 `emit`: 특권 명령, 글자마다 한 번
advance:
    inc esi                     ; slot `advance`: innocuous
                                ;ko: 슬롯 `advance`: 무해한 명령
    jmp next
done:
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

message: .asciz "Trap, VM exit, emulate, VM entry: once per character.\n"
