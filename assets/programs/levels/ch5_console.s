; ch5_console.s — the console driver of chapter 2, with a paravirtualized form.
;
; Unmodified: one `out` per character (a trap each under a software hypervisor, a VM
; exit each under VT-x). Modified (GUEST_emit = 1): at the first character the driver
; hands the whole rest of the message to the hypervisor in ONE console_io hypercall.
; Expected output: the message below, exit code 0.

.equ HC_CONSOLE_IO, 3           ; hypercall: ebx = buffer, ecx = length
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
    mov ecx, message_end - 1
    sub ecx, esi
    mov eax, HC_CONSOLE_IO
    vmcall
    jmp done
.else
    out 0xE9, eax               ; slot `emit`: privileged, once per character
.endif
advance:
    inc esi                     ; slot `advance`: innocuous
    jmp next
done:
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

message: .asciz "One hypercall instead of a trap per character: the guest works hard.\n"
message_end:
