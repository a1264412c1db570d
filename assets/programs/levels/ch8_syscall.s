; ch8_syscall.s — a tiny kernel and a user program that makes COUNT null system calls
; (the "syscall" nanobenchmark of Adams & Agesen 2006, and lmbench's "null call").
;
; The kernel sets its trap stack and IDT, turns interrupts on, drops to user mode (ring 3)
; with iret, and answers each `int 0x80` with iret. System call 1 ends the run.
; Expected output: "system calls done", exit code 0.
;
; Guest forms (a paravirtualized kernel, as Xen's): GUEST_install registers the IDT as a
; trap table with the hypervisor, its system-call gate a trap gate for the guest kernel's
; own ring, so `int 0x80` reaches the guest kernel without entering the hypervisor (a plain
; iret takes it back: ring 1 to ring 3 needs no hypervisor either); GUEST_back returns to
; user mode with the iret hypercall instead, which also gives the hypervisor the
; interrupt flag the frame restores.

.equ COUNT, 50
.equ KSTACK, 0x70000
.equ USTACK, 0x60000
.equ USER_CS, 0x23
.equ VEC_SYSCALL, 0x80
.equ HC_SET_TRAP_TABLE, 0
.equ HC_IRET, 6
.equ HC_STACK_SWITCH, 7
.equ GUEST_install, 0
.equ GUEST_back, 0

_start:
    mov esp, 0x80000
    mov ecx, 0x175              ; the stack traps from user mode start on
    mov eax, KSTACK
    xor edx, edx
    wrmsr
install:
.if GUEST_install
    mov eax, HC_STACK_SWITCH    ; modified: tell the hypervisor, then register the table
    mov ebx, KSTACK
    vmcall
    mov eax, HC_SET_TRAP_TABLE
    mov ebx, idt
    mov ecx, IDT_LIMIT
    vmcall
.else
    lidt [idtr]                 ; slot `install`: privileged
.endif
    sti                         ; interrupts on (user mode runs with them on, too)
    push USTACK                 ; into user mode: iret pops eip, cs, eflags, esp
    push 0x202                  ; eflags: IF
    push USER_CS
    push user_main
    iret

user_main:
    mov esi, COUNT
call_loop:
    xor eax, eax                ; system call 0: null
call_kernel:
    int 0x80                    ; slot `call_kernel`: innocuous (a software interrupt)
    dec esi
    jne call_loop
    mov eax, 1                  ; system call 1: the end
    int 0x80

syscall_handler:
    cmp eax, 1
    je finish
    add esp, 4                  ; drop the error code
back:
.if GUEST_back
    push eax                    ; modified: return to user mode by hypercall (the
    mov eax, HC_IRET            ; hypervisor pops the saved eax, then the iret frame)
    vmcall
.else
    iret                        ; slot `back`: sensitive (at ring 1 it returns to ring 3
                                ; without trapping, and cannot change IF)
.endif

finish:
    mov esi, s_done
finish_say:
    movb eax, [esi]
    test eax, eax
    je finish_off
    out 0xE9, eax
    inc esi
    jmp finish_say
finish_off:
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

s_done: .asciz "system calls done\n"
.align 4096
idtr:   .word idt, IDT_LIMIT
.equ IDT_LIMIT, (VEC_SYSCALL + 1) * 8 - 1
.align 8
idt:    .zero VEC_SYSCALL * 8
        ; present, DPL 3; modified: handler ring 1 (bits 3-4), a trap gate (bit 5)
        .word syscall_handler, 1 | (3 << 1) | (GUEST_install << 3) | (GUEST_install << 5)
