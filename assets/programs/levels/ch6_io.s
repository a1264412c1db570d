; ch6_io.s — a console driver that guards each character with cli / sti.
;
; Expected output: the message below, exit code 0.

_start:
    mov esp, 0x80000
    mov esi, message
next:
    movb eax, [esi]
    test eax, eax
    je done
off:
    cli                         ; slot `off`: privileged
emit:
    out 0xE9, eax               ; slot `emit`: privileged (port I/O)
on:
    sti                         ; slot `on`: privileged
    inc esi
    jmp next
done:
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

message: .asciz "root mode, non-root mode, and the VMCS between them.\n"
