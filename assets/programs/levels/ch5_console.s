; ch5_console.s — the console driver of chapter 2, with a paravirtualized form.
;
; Unmodified: one `out` per character (a trap each under a software hypervisor, a VM
; exit each under VT-x). Modified (GUEST_emit = 1): at the first character the driver
; hands the whole rest of the message to the hypervisor in ONE console_io hypercall.
; Expected output: the message below, exit code 0.
;ko: ch5_console.s — 2장의 콘솔 드라이버에 반가상화 형태를 더한 것.
;ko:
;ko: 수정하지 않은 형태: 글자마다 `out` 한 번(소프트웨어 하이퍼바이저에서는 글자마다 트랩,
;ko: VT-x에서는 글자마다 VM exit). 수정된 형태(GUEST_emit = 1): 드라이버가 첫 글자에서
;ko: 메시지의 나머지 전부를 console_io 하이퍼콜 단 한 번으로 하이퍼바이저에 넘깁니다.
;ko: 예상 출력: 아래 메시지, 종료 코드 0.

.equ HC_CONSOLE_IO, 3           ; hypercall: ebx = buffer, ecx = length
                                ;ko: 하이퍼콜: ebx = 버퍼, ecx = 길이
.equ GUEST_emit, 0

_start:
    mov esp, 0x80000
    mov esi, message
next:
    movb eax, [esi]
    test eax, eax
    je done
emit:
.if GUEST_emit
    mov ebx, esi                ; modified: one hypercall for the rest of the message
                                ;ko: 수정된 형태: 메시지의 나머지를 하이퍼콜 한 번으로
    mov ecx, message_end - 1
    sub ecx, esi
    mov eax, HC_CONSOLE_IO
    vmcall
    jmp done
.else
    out 0xE9, eax               ; slot `emit`: privileged, once per character
                                ;ko: 슬롯 `emit`: 특권 명령, 글자마다 한 번
.endif
advance:
    inc esi                     ; slot `advance`: innocuous
                                ;ko: 슬롯 `advance`: 무해한 명령
    jmp next
done:
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

message: .asciz "One hypercall instead of a trap per character: the guest works hard.\n"
message_end:
