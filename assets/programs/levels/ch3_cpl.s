; ch3_cpl.s — a cautious guest kernel checks that it runs in kernel mode (CPL 0)
; before it touches the hardware, by reading the low two bits of cs.
;
; Expected output: "kernel mode: ok", then "interrupts off, on", exit code 0.
; If the check fails the kernel panics (exit code 2).

.equ GUEST_who, 0

_start:
    mov esp, 0x80000
who:
.if GUEST_who
    xor eax, eax                ; modified: a PV kernel knows the hypervisor runs it
.else                           ; deprivileged, and does not ask the CPU
    mov eax, cs                 ; slot `who`: sensitive (mov r, cs)
.endif
    and eax, 3
    jne not_kernel
    mov esi, s_ok
    call puts
off:
    cli                         ; slot `off`: privileged
    mov esi, s_off
    call puts
on:
    sti                         ; slot `on`: privileged
    mov esi, s_on
    call puts
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

not_kernel:
    mov esi, s_panic
    call puts
    mov eax, 2
    out 0xF4, eax               ; power off, exit code 2

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

s_ok:    .asciz "kernel mode: ok\n"
s_off:   .asciz "interrupts off, "
s_on:    .asciz "on\n"
s_panic: .asciz "panic: not in kernel mode\n"
