; ch3_popf.s — a guest kernel saves its flags, turns interrupts off, and restores them.
;
; The classic pattern:  pushf / cli / ... / popf.  After restoring, the kernel sleeps
; (hlt) until the next timer interrupt. It also peeks at its flags inside the critical
; section. Expected output: "inside: IF=0" then "woke up on tick 1", exit code 0.
;
; Guest forms (a modified, paravirtualized kernel): the interrupt flag lives in an
; event-mask byte shared with the hypervisor (1 = interrupts off), as in Xen.

.equ PERIOD, 400
.equ VEC_TIMER, 32
.equ IF, 0x200
.equ HC_SHARED_INFO, 9          ; hypercall: "my event mask is at ebx"
.equ GUEST_peek, 0
.equ GUEST_restore, 0

_start:
    mov esp, 0x80000
    lidt [idtr]
.if GUEST_peek | GUEST_restore
    mov eax, HC_SHARED_INFO
    mov ebx, event_mask
    vmcall                      ; the modified kernel shares its event mask
.endif
    mov eax, PERIOD
    out 0x40, eax               ; start the timer
    sti
    pushf                       ; save the flags (interrupts are on)
    pop eax
    mov [saved], eax
off:
    cli                         ; slot `off`: privileged
    mov ecx, 20                 ; a little work no interrupt may see half done
busy:
    loop busy
peek:
.if GUEST_peek
    movb eax, [event_mask]      ; modified: read the shared mask instead of pushf
    xor eax, 1
    shl eax, 9                  ; IF is bit 9
    push eax
.else
    pushf                       ; slot `peek`: sensitive (pushf)
.endif
    pop eax
    and eax, IF
    shr eax, 9
    add eax, '0'
    movb [inside_digit], eax
    mov esi, s_inside
    call puts
    mov eax, [saved]
.if GUEST_restore == 0
    push eax
.endif
restore:
.if GUEST_restore
    and eax, IF                 ; modified: write the shared mask instead of popf
    shr eax, 9
    xor eax, 1
    movb [event_mask], eax
.else
    popf                        ; slot `restore`: sensitive (popf)
.endif
    hlt                         ; sleep until the timer interrupt
    mov esi, s_woke
    call puts
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

timer_handler:
    push eax
    xor eax, eax
    out 0x40, eax               ; one tick is enough: stop the timer
    pop eax
    add esp, 4
    iret

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

; Data on its own page: a write to a page of code would make a binary translator
; drop that page's translations (as it must for self-modifying code).
.align 4096
saved:        .word 0
event_mask:   .word 0
s_inside:     .ascii "inside: IF="
inside_digit: .asciz "?\n"
s_woke:       .asciz "woke up on tick 1\n"
idtr:         .word idt, (VEC_TIMER + 1) * 8 - 1
.align 8
idt:          .zero VEC_TIMER * 8
              .word timer_handler, 1
