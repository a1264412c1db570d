; ch5_flag.s — the critical section of chapter 1 (cli, bump a counter, sti), with a
; paravirtualized form for cli and sti.
;
; Modified (GUEST_off / GUEST_on = 1): the kernel first tells the hypervisor where its
; event mask is (one hypercall), then turns "interrupts" off and on by writing that byte:
; 1 = off, 0 = on. No trap, no hypercall: a plain memory write (Xen's evtchn_upcall_mask).
; Expected output: "count 50", exit code 0.

.equ N, 50
.equ HC_SHARED_INFO, 9          ; hypercall: ebx = address of the event-mask byte
.equ GUEST_off, 0
.equ GUEST_on, 0

_start:
    mov esp, 0x80000
.if GUEST_off | GUEST_on
    mov eax, HC_SHARED_INFO
    mov ebx, event_mask
    vmcall
.endif
    mov ecx, N
section:
off:
.if GUEST_off
    mov eax, 1                  ; modified: mask events in the shared page
    movb [event_mask], eax
.else
    cli                         ; slot `off`: privileged
.endif
    mov eax, [counter]
bump:
    inc eax                     ; slot `bump`: innocuous
    mov [counter], eax
on:
.if GUEST_on
    xor eax, eax                ; modified: unmask events in the shared page
    movb [event_mask], eax
.else
    sti                         ; slot `on`: privileged
.endif
    loop section
    mov esi, msg
    call puts
    mov eax, [counter]
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

; Data on its own page: a write to a page of code would make a binary translator
; drop that page's translations (as it must for self-modifying code).
.align 4096
counter:    .word 0
event_mask: .word 0
msg:        .asciz "count "
