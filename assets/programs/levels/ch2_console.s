; ch2_console.s — a tiny console driver in the guest kernel: one `out` per character.
;
; Expected output: the message below, exit code 0.

_start:
    mov esp, 0x80000
    mov esi, message
next:
    movb eax, [esi]
    test eax, eax
    je done
emit:
    out 0xE9, eax               ; slot `emit`: privileged, once per character
advance:
    inc esi                     ; slot `advance`: innocuous
    jmp next
done:
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

message: .asciz "Trap, VM exit, emulate, VM entry: once per character.\n"
