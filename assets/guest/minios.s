; =====================================================================================
;  mini-OS: the small, real kernel that runs your `main:` programs on the VQ32 machine
; =====================================================================================
;
;  Everything an operating system must do to run a user program is in this one file:
;
;    1. layout      where everything lives in memory (constants you can override)
;    2. boot        from reset to the first user instruction
;    3. traps       the interrupt table, and the way into and out of the kernel
;    4. system calls   the twelve services a program asks for with `int 0x80`
;    5. faults      what happens when a program does something it may not
;    6. scheduler   the timer, round robin, and the idle loop
;    7. processes   creating, copying, ending and waiting for processes
;    8. memory      the page-frame allocator and the page tables
;    9. console     printing text and numbers
;   10. PV sites    the ONLY places that use privileged instructions
;   11. data        the kernel's variables, the IDT and the process table
;   12. pages       page-aligned memory: page directory, page table, stacks
;
;  How to read the code.  Kernel routines take their arguments in eax, ebx, ecx, edx
;  and return a result in eax.  They may change eax, ebx, ecx and edx, and keep esi,
;  edi and ebp (the boot steps of section 2, which run once, use any register).  While
;  the kernel handles a trap, ebp always points at the trap frame (the saved registers
;  of whoever was interrupted; see section 3).  The PV routines of section 10 keep
;  every register except their result.
;
;  The kernel runs with interrupts disabled (IF=0) from the moment it is entered until
;  it returns to a program.  So no kernel code is ever interrupted half-way, and it
;  needs no locks: there is one CPU, and nothing can interrupt the kernel.

; =====================================================================================
;  1. Layout
; =====================================================================================
;  Physical memory (1 MiB of RAM unless the machine is given more):
;
;    0x00000000  page 0: never mapped, so a null pointer faults even in the kernel.
;                The boot loader leaves its note (the BOOT INFO block) at 0x800.
;    0x00001000  the kernel: code, data, IDT, process table, then the page-aligned
;                kernel page directory, kernel page table, trampoline page and stack.
;    kernel_end  the program image, copied here by the boot loader (page aligned).
;    ...         free page frames, handed out by the frame allocator (section 8).
;    RAM end     (the kernel uses at most the first 4 MiB: one page table's worth)
;
;  Virtual memory of every process:
;
;    0x00000000 - 0x003FFFFF  the kernel: all RAM identity-mapped (virtual = physical),
;                             supervisor only, so user code cannot touch it. Every
;                             address space shares the same kernel page table.
;    0x00400000 - ...         the program image (code and data), user pages
;    0x0FFFD000 - 0x0FFFEFFF  the user stack (2 pages), growing down from 0x0FFFF000
;    0x0FFFF000 - 0x0FFFFFFF  the trampoline page: where `main` returns to (read-only)
;    0x10000000 - 0x7FFFFFFF  free for map(); faults until mapped
;    0x80000000 - 0xFFFFFFFF  nothing; every user pointer must stay below this

.equ KERNEL_BASE,      0x00001000   ; where the kernel's first byte is (physical = virtual)
.equ BOOT_INFO,        0x00000800   ; the boot loader's note to the kernel
.equ BOOT_MAGIC,       0x534F5156   ; the bytes "VQOS": proof that the note is there
.equ KERNEL_MAP_LIMIT, 0x00400000   ; RAM the kernel can reach (one page table = 4 MiB)
.equ USER_BASE,        0x00400000   ; where a program's image appears in its address space
.equ USER_STACK_PAGES, 2            ; size of a user stack, in pages
.equ USER_STACK_TOP,   0x0FFFF000   ; user stacks grow down from here
.equ TRAMPOLINE_VA,    USER_STACK_TOP  ; the shared return-from-main page sits just above
.equ MAP_BASE,         0x10000000   ; map() and unmap() work in [MAP_BASE, MAP_LIMIT)
.equ MAP_LIMIT,        0x80000000
.equ MAX_PROCS,        16           ; size of the process table
.equ TIMER_PERIOD,     1000000      ; cycles between timer interrupts (0: no timer)
.equ SLICE_TICKS,      2            ; ticks a process gets before it is preempted
.equ VERBOSE,          0            ; 1: print the memory layout at boot
.equ PANIC_EXIT_CODE,  255          ; exit code when the kernel itself fails
.equ KILLED_EXIT_BASE, 128          ; a killed process exits with 128 + the fault's vector

; Paravirtualization.  PV = 1 builds the paravirtualized kernel: every PV site in section 10
; calls the hypervisor instead of executing its privileged instruction.  GUEST_<site> = 1 or 0
; overrides one site (a level's "Guest" choice); by default each site follows PV.
.equ PV, 0
.equ GUEST_pv_init, PV
.equ GUEST_pv_irq_disable, PV
.equ GUEST_pv_irq_enable, PV
.equ GUEST_pv_halt, PV
.equ GUEST_pv_write_cr3, PV
.equ GUEST_pv_read_cr2, PV
.equ GUEST_pv_set_pte, PV
.equ GUEST_pv_invlpg, PV
.equ GUEST_pv_load_idt, PV
.equ GUEST_pv_set_kernel_stack, PV
.equ GUEST_pv_console_putc, PV
.equ GUEST_pv_set_timer, PV
.equ GUEST_pv_iret, PV
.equ GUEST_pv_net_send, PV
; Hypercall numbers (the hypervisor's interface: vmcall, eax = number, ebx/ecx/edx = arguments).
.equ HC_SET_TRAP_TABLE, 0
.equ HC_MMU_UPDATE, 1
.equ HC_NEW_BASEPTR, 2
.equ HC_CONSOLE_IO, 3
.equ HC_SCHED_OP, 4
.equ HC_SET_TIMER, 5
.equ HC_IRET, 6
.equ HC_STACK_SWITCH, 7
.equ HC_INVLPG, 8
.equ HC_SHARED_INFO, 9
.equ HC_NET_SETUP, 10
.equ HC_GRANT_ACCESS, 11
.equ HC_EVENT_CHANNEL_SEND, 12
.equ HC_BALLOON_RELEASE, 13
.equ DISK_WRITE, 1                  ; the disk's commands: memory to disk, disk to memory
.equ DISK_READ, 2
.equ SCHED_BLOCK, 1
.equ MMU_BATCH, 64                  ; page-table updates sent in one mmu_update at most
.equ GATE_RING1, 1 << 3             ; IDT flags bits 3-4: the ring a handler runs in
.equ GATE_TRAP, 1 << 5              ; IDT flags bit 5: a trap gate (entering leaves IF alone)
.equ SI_MASK, 0                     ; shared_info: byte 0 = event mask (1 = interrupts off)
.equ SI_CR2, 4                      ;              word 1 = the address of the last page fault

.equ NET_MAX_FRAME, 1514            ; the largest packet send() takes
.equ NET_AVAIL, 256                 ; the ring: descriptors at 0, available ring, used ring
.equ NET_USED, 512

.equ PAGE_SIZE,  4096
.equ PAGE_FRAME, 0xFFFFF000         ; the frame-address bits of an entry or address

; Page-table and page-directory entry bits (as on x86)
.equ PTE_P,      0x001              ; present
.equ PTE_W,      0x002              ; writable
.equ PTE_U,      0x004              ; user may access
.equ PTE_SHARED, 0x200              ; bit 9 is free for the OS: "shared page, not owned"
.equ PTE_USER,   PTE_P | PTE_W | PTE_U
.equ PTE_KERNEL, PTE_P | PTE_W

; cr0 bits
.equ CR0_PE, 0x00000001             ; protected mode
.equ CR0_WP, 0x00010000             ; the kernel, too, respects read-only pages
.equ CR0_PG, 0x80000000             ; paging on

; Vectors, selectors, flags, MSRs
.equ VEC_DE,      0
.equ VEC_UD,      6
.equ VEC_GP,      13
.equ VEC_PF,      14
.equ VEC_TIMER,   32
.equ VEC_SYSCALL, 0x80
.equ IDT_ENTRIES, VEC_SYSCALL + 1
.equ USER_CS,     0x23              ; selector of ring 3: 8*(3+1) | 3
.equ EFLAGS_IF, 0x200               ; the interrupt flag
.equ USER_EFLAGS, 0x202             ; IF=1 (interrupts on) + the always-one bit
.equ MSR_KERNEL_ESP, 0x175

; The boot-info block, written by the boot loader at BOOT_INFO (all 32-bit words)
.equ BI_MAGIC,       0              ; BOOT_MAGIC
.equ BI_RAM,         4              ; bytes of RAM
.equ BI_IMAGE_PHYS,  8              ; physical address of the program image (page aligned)
.equ BI_IMAGE_SIZE,  12             ; its size in bytes
.equ BI_IMAGE_VADDR, 16             ; the virtual address it was assembled for (USER_BASE)
.equ BI_MAIN,        20             ; address of `main`, 0 if none
.equ BI_KERNEL_MAIN, 24             ; address of `kernel_main`, 0 if none

; Process states
.equ P_FREE,    0                   ; slot unused
.equ P_READY,   1                   ; can run (or is running)
.equ P_WAITING, 2                   ; blocked in wait() until a child exits
.equ P_ZOMBIE,  3                   ; exited; keeps its exit code until its parent waits

; One slot of the process table
.equ P_STATE,   0
.equ P_PID,     4
.equ P_PARENT,  8                   ; parent's pid, 0 for none
.equ P_PDIR,    12                  ; physical address of its page directory
.equ P_EXIT,    16                  ; exit code (valid once a zombie)
.equ P_WAITFOR, 20                  ; pid it waits for (when P_WAITING)
.equ P_CTX,     24                  ; its saved trap frame (52 bytes) while not running
.equ P_SLICE,   76                  ; timer ticks it has seen since it was last resumed
.equ PROC_SIZE, 128

; The trap frame: what is on the kernel stack while the kernel handles a trap.
; The CPU pushed the last five words; trap_common pushed the rest.
.equ F_EDI,    0
.equ F_ESI,    4
.equ F_EBP,    8
.equ F_EBX,    12
.equ F_EDX,    16
.equ F_ECX,    20
.equ F_EAX,    24                   ; the system call's result goes here
.equ F_VEC,    28                   ; vector number, pushed by the entry stub
.equ F_ERR,    32                   ; error code (CPU; 0 when the exception has none)
.equ F_EIP,    36                   ; where to resume
.equ F_CS,     40                   ; its low two bits: the privilege level interrupted
.equ F_EFLAGS, 44
.equ F_ESP,    48                   ; the interrupted stack pointer
.equ FRAME_SIZE, 52

.org KERNEL_BASE

; =====================================================================================
;  2. Boot
; =====================================================================================
;  The boot loader copied this kernel and the program into RAM, wrote the boot-info
;  block and jumped here, at CPL 0 with paging off.  Boot is a list of steps, each a
;  routine below: read the note, install the trap handlers, build the free-frame list
;  and the page tables, turn paging on, create process 1, start the timer, run
;  `kernel_main` (if there is one), then enter `main` in user mode.

kernel_entry:
    mov esp, kstack_top
    call pv_init                    ; a paravirtualized kernel first meets its hypervisor
    call read_boot_info
    call idt_init
    mov eax, kstack_top             ; traps from user mode land on this stack
    call pv_set_kernel_stack
    call memory_init
.if VERBOSE
    call print_layout
.endif
    call create_init                ; process 1, its address space loaded in cr3
    mov eax, TIMER_PERIOD
    call pv_set_timer
    mov eax, [boot_kernel_main]
    test eax, eax
    je boot_enter_main
    mov ebx, fault_hook             ; kernel_main may install a fault handler there
    call eax                        ; kernel_main runs here, at CPL 0, interrupts off
    call pv_irq_disable             ; (in case kernel_main turned them on)
    mov ebx, [boot_main]
    test ebx, ebx
    jne boot_start_main
    jmp pv_power_off                ; no main: kernel_main's eax is the exit code
boot_enter_main:
    mov ebx, [boot_main]
boot_start_main:
    mov eax, [cur_proc]
    call init_context               ; process 1 starts at main, with an empty stack
    mov esi, [cur_proc]
    jmp resume                      ; ...and the kernel never comes back to this code

; Copy the boot loader's note into kernel variables, before paging hides page 0.
read_boot_info:
    mov eax, [BOOT_INFO+BI_MAGIC]
    cmp eax, BOOT_MAGIC
    jne no_boot_info
    mov eax, [BOOT_INFO+BI_RAM]
    mov [boot_ram], eax
    mov eax, [BOOT_INFO+BI_IMAGE_PHYS]
    mov [boot_image_phys], eax
    mov eax, [BOOT_INFO+BI_IMAGE_SIZE]
    mov [boot_image_size], eax
    mov eax, [BOOT_INFO+BI_IMAGE_VADDR]
    mov [boot_image_vaddr], eax
    mov eax, [BOOT_INFO+BI_MAIN]
    mov [boot_main], eax
    mov eax, [BOOT_INFO+BI_KERNEL_MAIN]
    mov [boot_kernel_main], eax
    ret
no_boot_info:
    mov eax, msg_no_boot_info
    jmp panic

; Decide which RAM is free, then build the page tables and turn paging on.
memory_init:
    mov eax, [boot_ram]             ; the kernel reaches at most KERNEL_MAP_LIMIT bytes
    cmp eax, KERNEL_MAP_LIMIT
    jb mi_ram_ok
    mov eax, KERNEL_MAP_LIMIT
mi_ram_ok:
    and eax, PAGE_FRAME
    mov [ram_end], eax
    mov eax, [boot_image_phys]      ; free RAM starts after the kernel and the program
    add eax, [boot_image_size]
    add eax, PAGE_SIZE - 1
    and eax, PAGE_FRAME
    cmp eax, kernel_end
    jae mi_first_ok
    mov eax, kernel_end
mi_first_ok:
    mov [first_free], eax
    mov ebx, [ram_end]
    call frame_init
    jmp paging_init                 ; (a tail call: paging_init returns for us)

; The kernel's own address space: one page table that maps every page of RAM to the
; same address (an "identity map"), supervisor only.  Page 0 stays unmapped.  Every
; process's page directory will point its entry 0 at this same table.
paging_init:
    mov esi, PAGE_SIZE              ; physical address of the page being mapped
    mov edi, kernel_pt + 4          ; its entry (entry 0, page 0, stays empty)
    call pv_lazy_mmu_begin          ; a paravirtual kernel sends these in a few big batches
pi_loop:
    cmp esi, [ram_end]
    jae pi_directory
    mov eax, edi
    mov edx, esi
    or edx, PTE_KERNEL
    call pv_set_pte
    add esi, PAGE_SIZE
    add edi, 4
    jmp pi_loop
pi_directory:
    call pv_lazy_mmu_end
    mov eax, kernel_pgdir
    mov edx, kernel_pt
    or edx, PTE_KERNEL
    call pv_set_pte                 ; directory entry 0 -> the kernel page table
    mov eax, kernel_pgdir
    call pv_write_cr3
    call pv_read_cr0
    or eax, CR0_PG | CR0_WP | CR0_PE
    jmp pv_write_cr0                ; from the next instruction on, addresses are virtual

; Process 1: its own page directory, the program image mapped at USER_BASE (the image's
; frames become process 1's pages: no copy needed), a stack and the trampoline page.
create_init:
    call new_address_space
    test eax, eax
    je out_of_memory
    mov edi, eax                    ; edi = process 1's page directory
    xor esi, esi                    ; esi = offset in the image
ci_image:
    cmp esi, [boot_image_size]
    jae ci_stack
    mov eax, edi
    mov ebx, [boot_image_vaddr]
    add ebx, esi
    mov edx, [boot_image_phys]
    add edx, esi
    or edx, PTE_USER
    call map_page
    test eax, eax
    jne out_of_memory
    add esi, PAGE_SIZE
    jmp ci_image
ci_stack:
    mov esi, USER_STACK_PAGES
    mov ebx, USER_STACK_TOP
ci_stack_page:
    sub ebx, PAGE_SIZE
    mov eax, edi
    push ebx
    call map_new_page
    pop ebx
    test eax, eax
    jne out_of_memory
    dec esi
    jne ci_stack_page
    mov eax, edi                    ; the trampoline page: the kernel's frame, shared
    mov ebx, TRAMPOLINE_VA
    mov edx, user_trampoline
    or edx, PTE_P | PTE_U | PTE_SHARED
    call map_page
    test eax, eax
    jne out_of_memory
    mov eax, proc_table             ; slot 0 holds process 1
    mov ebx, P_READY
    mov [eax+P_STATE], ebx
    mov ebx, 1
    mov [eax+P_PID], ebx
    inc ebx
    mov [next_pid], ebx
    mov [eax+P_PDIR], edi
    mov [cur_proc], eax
    mov eax, edi
    jmp pv_write_cr3                ; kernel_main runs in process 1's address space

out_of_memory:
    mov eax, msg_out_of_memory
    jmp panic

; =====================================================================================
;  3. Traps: the interrupt table, and the way into and out of the kernel
; =====================================================================================
;  The IDT has one 8-byte entry per vector: the handler's address, then flags (bit 0
;  present, bits 1-2 DPL: the highest privilege level allowed to use `int n` on it).
;  Only the system-call gate has DPL 3, so `int 0x80` is the one door a program may
;  knock on; `int 14` from user mode is a #GP.
;
;  When a trap arrives from user mode the CPU switches to the kernel stack (MSR 0x175)
;  and pushes five words: old esp, eflags, cs, eip and an error code.  The entry stub
;  pushes the vector, trap_common pushes the seven general registers, and ebp is set
;  to point at the whole "trap frame" (offsets F_... in section 1).  To leave, the
;  kernel pops them all back and executes iret.

idt_init:
    mov eax, VEC_DE
    mov ebx, isr_de
    xor ecx, ecx
    call idt_set
    mov eax, VEC_UD
    mov ebx, isr_ud
    xor ecx, ecx
    call idt_set
    mov eax, VEC_GP
    mov ebx, isr_gp
    xor ecx, ecx
    call idt_set
    mov eax, VEC_PF
    mov ebx, isr_pf
    xor ecx, ecx
    call idt_set
    mov eax, VEC_TIMER
    mov ebx, isr_timer
    xor ecx, ecx
    call idt_set
    mov eax, VEC_SYSCALL
    mov ebx, isr_syscall
    mov ecx, 3                      ; DPL 3: user programs may call it
    call idt_set
    mov eax, idt_descriptor
    jmp pv_load_idt

; eax = vector, ebx = handler, ecx = DPL
idt_set:
    shl eax, 3
    add eax, idt
    mov [eax], ebx
    shl ecx, 1
    or ecx, 1                       ; present
    mov [eax+4], ecx
    ret

; Entry stubs: remember which vector this is, then share the rest.
isr_de:
    push VEC_DE
    jmp trap_common
isr_ud:
    push VEC_UD
    jmp trap_common
isr_gp:
    push VEC_GP
    jmp trap_common
isr_pf:
    push VEC_PF
    jmp trap_common
isr_timer:
    push VEC_TIMER
    jmp trap_common
isr_syscall:
    push VEC_SYSCALL
    jmp trap_common

trap_common:
    push eax
    push ecx
    push edx
    push ebx
    push ebp
    push esi
    push edi
    mov ebp, esp                    ; ebp = the trap frame, for the whole trap
    mov esi, [ebp+F_VEC]
    cmp esi, VEC_SYSCALL
    je syscall_entry
    cmp esi, VEC_TIMER
    je timer_entry
    jmp fault_entry

; The way out: restore what trap_common saved and return to the interrupted code.
; (resume, in section 6, comes here too, with another process's registers in the frame.)
trap_return:
    pop edi
    pop esi
    pop ebp
    pop ebx
    pop edx
    pop ecx
    pop eax
    add esp, 8                      ; drop the vector and the error code
pv_iret:                            ; PV site: the return from a trap
.if GUEST_pv_iret
.if GUEST_pv_init
    push eax                        ; our interrupt flag is the event mask in the shared
    mov eax, [esp+12]               ; page: restore it from the frame's eflags ourselves
    and eax, EFLAGS_IF              ; (above the saved eax: eip, cs, eflags), as 32-bit
    xor eax, EFLAGS_IF              ; Xen guests do, since iret outside ring 0 cannot:
    shr eax, 9                      ; mask = 1 when the frame had interrupts off
    movb [shared_info+SI_MASK], eax
    pop eax
    iret                            ; to user mode (ring 1 to 3): no trap, no hypercall
                                    ; (into the kernel, a ring-0 frame, it traps: emulated)
.else
    push eax                        ; no shared page: ask the hypervisor to return for us
    mov eax, HC_IRET                ; (the iret hypercall pops the saved eax, then the frame,
    vmcall                          ; and restores the interrupt flag we cannot set)
.endif
.else
    iret                            ; outside ring 0 (under a hypervisor) this drops any
.endif                              ; change of IF, silently: an x86 hole, like popf

; Was the trap frame at ebp taken in user mode (CPL 3)?  Returns eax = 3 if so.
frame_cpl:
    mov eax, [ebp+F_CS]
    and eax, 3
    ret

; =====================================================================================
;  4. System calls
; =====================================================================================
;  A program puts the call number in eax and up to three arguments in ebx, ecx, edx,
;  then executes `int 0x80`.  The number picks a routine from syscall_table; the routine
;  gets the arguments in ebx, ecx, edx and the caller's process slot in esi, and returns
;  the result in eax, which is written into the frame's eax so that the program sees
;  it when iret restores its registers.  Every other register comes back unchanged.
;  Calls that switch to another process (exit, yield, a wait that blocks) never return
;  to the dispatcher: they save the frame in the process slot and jump to the scheduler.

syscall_entry:
    cmp eax, NR_SYSCALLS
    jae sys_unknown                 ; (unsigned: negative numbers are unknown too)
    mov edi, eax
    shl edi, 2
    mov edi, [edi+syscall_table]
    mov esi, [cur_proc]
    call edi
    mov [ebp+F_EAX], eax
    jmp trap_return
sys_unknown:
    mov eax, -1
    mov [ebp+F_EAX], eax
    jmp trap_return

syscall_table:
    .word sys_null, sys_exit, sys_putc, sys_write, sys_getpid, sys_yield
    .word sys_map, sys_unmap, sys_spawn, sys_wait, sys_time, sys_send, sys_balloon
    .word sys_page_out, sys_page_in
syscall_table_end:
.equ NR_SYSCALLS, (syscall_table_end - syscall_table) / 4

sys_fail:                           ; the common "no": return -1
    mov eax, -1
    ret

; 0 null(): does nothing, returns 0 (measures the bare cost of a system call)
sys_null:
    xor eax, eax
    ret

; 1 exit(code): the process ends; its parent's wait() gets the code.
; From kernel mode (kernel_main) there is no process to leave: returns -1.
sys_exit:
    call frame_cpl
    cmp eax, 3
    jne sys_fail
    mov eax, ebx
    call proc_exit
    jmp schedule

; 2 putc(char): print one character
sys_putc:
    mov eax, ebx
    call pv_console_putc
    xor eax, eax
    ret

; 3 write(ptr, len): print len bytes from the caller's memory; returns len, or -1 if
; any byte is not in the caller's user pages.  Checking first matters: the kernel can
; read ALL memory, so without the check a program could make it print kernel secrets.
sys_write:
    test ecx, ecx
    je sys_null                     ; nothing to write: 0
    call check_user_buffer
    test eax, eax
    jne sys_fail
    mov edi, ecx                    ; the result: every byte was written
sw_loop:
    movb eax, [ebx]
    call pv_console_putc
    inc ebx
    loop sw_loop
    mov eax, edi
    ret

; 4 getpid(): the caller's process id
sys_getpid:
    mov eax, [esi+P_PID]
    ret

; 5 yield(): let the next ready process run (returns 0 when this one runs again)
sys_yield:
    call frame_cpl
    cmp eax, 3
    jne sys_fail
    xor eax, eax
    mov [ebp+F_EAX], eax
    jmp switch_away

; 6 map(vaddr, npages): new zeroed, writable user pages at vaddr; 0, or -1 if the range
; is not page aligned inside [MAP_BASE, MAP_LIMIT), is already partly mapped, or there
; is not enough memory.  Reserve first, then act: nothing can fail half-way.
sys_map:
    call check_map_range
    test eax, eax
    jne sys_fail
    mov eax, ecx                    ; frames needed: the pages, plus the page tables
    shr eax, 10                     ; they may need (a table maps 1024 pages)
    add eax, ecx
    add eax, 2
    mov edx, [free_frames]
    cmp edx, eax
    jb sys_fail
    push ebx
    push ecx
    mov eax, [esi+P_PDIR]
    mov edx, page_must_be_free
    call for_each_page
    pop ecx
    pop ebx
    test eax, eax
    jne sys_fail
    mov eax, [esi+P_PDIR]
    mov edx, map_new_page
    jmp for_each_page               ; returns 0

; 7 unmap(vaddr, npages): remove the pages of that range (pages not mapped are skipped)
; and give their frames back; 0, or -1 for a bad range.  Touching them afterwards faults.
sys_unmap:
    call check_map_range
    test eax, eax
    jne sys_fail
    mov eax, [esi+P_PDIR]
    mov edx, unmap_page
    jmp for_each_page               ; returns 0

; 8 spawn(entry): a new process with a copy of the caller's memory (but a fresh, zeroed
; stack), starting at `entry` in user mode (returning from entry exits, like main).  Returns
; the child's pid to the caller, or -1 if the table or memory is full.
sys_spawn:
    mov edi, ebx                    ; edi = the entry point
    call find_free_slot
    test eax, eax
    je sys_fail
    push eax                        ; [esp] = the child's slot
    call new_address_space
    test eax, eax
    je ssp_fail
    push eax                        ; [esp] = the child's page directory
    mov ebx, eax
    mov eax, [esi+P_PDIR]
    call copy_address_space
    test eax, eax
    jne ssp_undo
    pop ebx
    pop eax
    mov [eax+P_PDIR], ebx
    mov ebx, [next_pid]
    mov [eax+P_PID], ebx
    inc ebx
    mov [next_pid], ebx
    mov ebx, [esi+P_PID]
    mov [eax+P_PARENT], ebx
    xor ebx, ebx
    mov [eax+P_EXIT], ebx
    mov [eax+P_WAITFOR], ebx
    mov ebx, P_READY
    mov [eax+P_STATE], ebx
    push eax
    mov ebx, edi
    call init_context
    pop eax
    mov eax, [eax+P_PID]
    ret
ssp_undo:                           ; out of memory while copying: give back what we took
    pop eax
    call free_address_space
ssp_fail:
    pop eax
    jmp sys_fail

; 9 wait(pid): wait until child `pid` exits and return its exit code; -1 if `pid` is
; not a child of the caller.  A child that already exited (a zombie) is reaped at once.
sys_wait:
    call frame_cpl
    cmp eax, 3
    jne sys_fail
    mov eax, ebx
    call find_proc
    test eax, eax
    je sys_fail
    mov ebx, [eax+P_PARENT]
    cmp ebx, [esi+P_PID]
    jne sys_fail
    mov ebx, [eax+P_STATE]
    cmp ebx, P_ZOMBIE
    jne swt_block
    xor ebx, ebx                    ; P_FREE: the slot can be used again
    mov [eax+P_STATE], ebx
    mov eax, [eax+P_EXIT]
    ret
swt_block:                          ; not yet: sleep until proc_exit wakes us
    mov ebx, [eax+P_PID]
    mov [esi+P_WAITFOR], ebx
    mov ebx, P_WAITING
    mov [esi+P_STATE], ebx
    jmp switch_away

; 10 time(): the cycle counter (low 32 bits)
sys_time:
    jmp pv_read_tsc

; 11 send(ptr, len): send len bytes (1 to NET_MAX_FRAME) from the caller's memory as one
; packet through the network card: 0 when it went out, -1 if not.  The bytes are copied
; into the kernel's one packet buffer first, whose physical address the card can use.
sys_send:
    test ecx, ecx
    je sys_fail
    cmp ecx, NET_MAX_FRAME + 1
    jae sys_fail
    call check_user_buffer
    test eax, eax
    jne sys_fail
    push edi
    mov edi, net_buffer
    mov edx, ecx
ssend_copy:
    movb eax, [ebx]
    movb [edi], eax
    inc ebx
    inc edi
    dec edx
    jne ssend_copy
    pop edi
    mov eax, net_buffer
    mov ebx, ecx
    call pv_net_send
    test eax, eax
    jne sys_fail
    ret

; 12 balloon(npages): the balloon driver.  It takes up to npages free frames from the kernel's
; own allocator, so nothing in this guest will use them again, and hands each to the
; hypervisor with the balloon_release hypercall; the host takes its frame back.  Which frames
; go is the guest's allocator's choice: the ones freed last, then never-used ones.  Returns
; how many pages went; -1 on bare hardware (cpuid: no hypervisor is there to take them).
;ko: 12 balloon(npages): 벌룬 드라이버.  커널 자신의 할당기에서 빈 프레임을 최대 npages개
;ko: 가져와(그러면 이 게스트에서 다시 쓰는 곳이 없습니다) 하나씩 balloon_release 하이퍼콜로
;ko: 하이퍼바이저에 넘기고, 호스트는 그 프레임을 회수합니다.  어떤 프레임이 나갈지는 게스트
;ko: 할당기가 정합니다(가장 최근에 해제된 것, 그다음 한 번도 안 쓴 것).  넘긴 페이지 수를
;ko: 돌려주고, 하이퍼바이저가 없으면(cpuid로 확인) -1을 돌려줍니다.
sys_balloon:
    mov edi, ebx                    ; edi = pages still to give
    mov eax, 1
    cpuid                           ; ecx bit 31: a hypervisor is present
    shr ecx, 31
    test ecx, ecx
    je sys_fail
    push edi                        ; the count asked for
sb_loop:
    test edi, edi
    je sb_done
    call alloc_frame                ; eax = a frame, or 0 when none is free
    test eax, eax
    je sb_done
    mov ebx, eax
    mov eax, HC_BALLOON_RELEASE
    vmcall
    test eax, eax
    jne sb_refused
    mov eax, [balloon_pages]
    inc eax
    mov [balloon_pages], eax
    dec edi
    jmp sb_loop
sb_refused:                         ; the host would not take it: keep the frame
    mov eax, ebx
    call free_frame
sb_done:
    pop eax
    sub eax, edi                    ; given = asked - left
    ret

; 13 page_out(vaddr, slot): the guest's own swapping, by hand.  The user page at vaddr goes
; to disk slot `slot` by DMA, then it is unmapped and its frame freed: touching it faults
; until page_in brings it back.  0, or -1 if vaddr is not a present user page of the map
; area or the disk refused.
;ko: 13 page_out(vaddr, slot): 게스트가 손수 하는 스와핑.  vaddr의 사용자 페이지를 DMA로
;ko: 디스크 슬롯 `slot`에 쓴 뒤, 매핑을 풀고 프레임을 해제합니다.  page_in으로 되돌리기
;ko: 전까지 그 페이지를 건드리면 폴트가 납니다.  성공하면 0, vaddr이 map 영역의 사용자
;ko: 페이지가 아니거나 디스크가 거부하면 -1.
sys_page_out:
    mov edi, ecx                    ; edi = the slot
    mov ecx, 1
    call check_map_range            ; one page-aligned page of the map area
    test eax, eax
    jne sys_fail
    mov eax, [esi+P_PDIR]
    xor ecx, ecx
    push ebx
    call pte_lookup                 ; eax = the page's entry, or 0
    pop ebx
    test eax, eax
    je sys_fail
    mov eax, [eax]
    mov ecx, eax
    and ecx, PTE_P | PTE_U
    cmp ecx, PTE_P | PTE_U
    jne sys_fail
    and eax, PAGE_FRAME             ; the page's frame
    push ebx
    mov ebx, edi
    mov ecx, DISK_WRITE
    call pv_disk_transfer           ; eax = 0 when the page went to the disk
    pop ebx
    test eax, eax
    jne sys_fail
    mov eax, [esi+P_PDIR]
    jmp unmap_page                  ; returns 0

; 14 page_in(vaddr, slot): a new user page at vaddr, filled from disk slot `slot` by DMA.
; 0, or -1 if vaddr is not a free page of the map area, memory is full or the disk refused.
;ko: 14 page_in(vaddr, slot): vaddr에 새 사용자 페이지를 만들고 디스크 슬롯 `slot`의 내용을
;ko: DMA로 채웁니다.  성공하면 0, vaddr이 map 영역의 빈 페이지가 아니거나 메모리가 모자라거나
;ko: 디스크가 거부하면 -1.
sys_page_in:
    mov edi, ecx
    mov ecx, 1
    call check_map_range
    test eax, eax
    jne sys_fail
    mov eax, [esi+P_PDIR]
    push ebx
    call page_must_be_free
    pop ebx
    test eax, eax
    jne sys_fail
    mov eax, [esi+P_PDIR]
    push ebx
    call map_new_page
    pop ebx
    test eax, eax
    jne sys_fail
    mov eax, [esi+P_PDIR]
    xor ecx, ecx
    call pte_lookup
    mov eax, [eax]
    and eax, PAGE_FRAME
    mov ebx, edi
    mov ecx, DISK_READ
    call pv_disk_transfer
    test eax, eax
    jne sys_fail
    ret

; --- helpers for map, unmap and write -------------------------------------------------

; ebx = ptr, ecx = len (not 0): does the buffer lie in the caller's present user pages, below
; user space's end?  Returns eax = 0 if so, -1 if not (ebx and ecx are kept).
check_user_buffer:
    mov eax, ebx
    add eax, ecx
    jb cub_no                       ; ptr + len wraps around 4 GiB
    cmp eax, MAP_LIMIT + 1
    jae cub_no                      ; it ends above user space
    push ebx
    push ecx
    dec eax                         ; the buffer covers pages ptr>>12 .. (ptr+len-1)>>12
    shr eax, 12
    mov ecx, ebx
    shr ecx, 12
    sub eax, ecx
    inc eax
    mov ecx, eax
    and ebx, PAGE_FRAME
    mov eax, [esi+P_PDIR]
    mov edx, page_must_be_user
    call for_each_page
    pop ecx
    pop ebx
    ret
cub_no:
    mov eax, -1
    ret

; ebx = vaddr, ecx = npages: is this a page-aligned, non-empty range of the map area?
; Returns eax = 0 if so, -1 if not (ebx and ecx are kept).
check_map_range:
    test ebx, PAGE_SIZE - 1
    jne cmr_bad
    cmp ebx, MAP_BASE
    jb cmr_bad
    cmp ebx, MAP_LIMIT
    jae cmr_bad
    test ecx, ecx
    je cmr_bad
    mov eax, MAP_LIMIT              ; pages left between vaddr and MAP_LIMIT
    sub eax, ebx
    shr eax, 12
    cmp eax, ecx
    jb cmr_bad
    xor eax, eax
    ret
cmr_bad:
    mov eax, -1
    ret

; eax = page directory, ebx = first page, ecx = number of pages, edx = a routine.
; Calls the routine with eax = page directory, ebx = page, for each page in turn, and
; stops early if it returns non-zero.  Returns eax = 0, or the routine's non-zero result.
for_each_page:
    push esi
    push edi
    push edx                        ; [esp+4] = the routine
    push ecx                        ; [esp]   = pages left
    mov esi, eax
    mov edi, ebx
fep_loop:
    mov eax, esi
    mov ebx, edi
    mov edx, [esp+4]
    call edx
    test eax, eax
    jne fep_out
    add edi, PAGE_SIZE
    mov eax, [esp]
    dec eax
    mov [esp], eax
    jne fep_loop
fep_out:
    add esp, 8
    pop edi
    pop esi
    ret

; Per-page routines for for_each_page (eax = page directory, ebx = page):
page_must_be_user:                  ; 0 if the page is present and user-accessible
    xor ecx, ecx
    call pte_lookup
    test eax, eax
    je pmu_no
    mov eax, [eax]
    and eax, PTE_P | PTE_U          ; (the kernel's pages lack PTE_U: refused here)
    cmp eax, PTE_P | PTE_U
    jne pmu_no
    xor eax, eax
    ret
pmu_no:
    mov eax, -1
    ret

page_must_be_free:                  ; 0 if nothing is mapped at the page
    xor ecx, ecx
    call pte_lookup
    test eax, eax
    je pmf_out
    mov eax, [eax]
    and eax, PTE_P
pmf_out:
    ret

map_new_page:                       ; a fresh zeroed user page at the page; 0 or -1
    push eax
    push ebx
    call alloc_zeroed_frame
    mov edx, eax
    pop ebx
    pop eax
    test edx, edx
    je mnp_fail
    or edx, PTE_USER
    jmp map_page
mnp_fail:
    mov eax, -1
    ret

unmap_page:                         ; remove the page (of the CURRENT address space)
    push ebx
    xor ecx, ecx
    call pte_lookup
    pop ebx
    test eax, eax
    je up_done
    mov ecx, [eax]
    test ecx, PTE_P
    je up_done
    call release_page
    mov eax, ebx                    ; the TLB may still remember the old translation
    call pv_invlpg
up_done:
    xor eax, eax
    ret

; =====================================================================================
;  5. Faults
; =====================================================================================
;  A fault in user mode is the program's mistake: the kernel prints what happened and
;  where, ends that process with exit code 128 + vector, and runs someone else.  The
;  kernel and the other processes go on.  A fault in kernel mode is the kernel's own
;  mistake (or kernel_main's): nothing can be trusted any more, so it panics.

fault_entry:
    mov eax, [fault_hook]           ; did kernel_main install a fault handler?
    test eax, eax
    je fe_no_hook
    call eax                        ; it gets the trap frame at ebp; eax = 1: handled
    cmp eax, 1
    je trap_return                  ; resume where the frame says (the hook may move eip)
fe_no_hook:
    call frame_cpl
    cmp eax, 3
    jne kernel_fault
    mov eax, msg_process
    call puts                       ; "[minios] process "
    mov esi, [cur_proc]
    mov eax, [esi+P_PID]
    call print_dec
    mov eax, msg_killed
    call puts                       ; " killed: "
    call print_fault                ; "#PF page fault at 0x10000000 (eip 0x00400040)"
    mov eax, 10
    call pv_console_putc
    mov eax, [ebp+F_VEC]
    add eax, KILLED_EXIT_BASE
    call proc_exit
    jmp schedule

kernel_fault:
    mov eax, msg_panic
    call puts
    call print_fault
    mov eax, 10
    call pv_console_putc
    mov eax, PANIC_EXIT_CODE
    jmp pv_power_off

; Something the kernel cannot go on without is missing: eax = message.
panic:
    push eax
    mov eax, msg_panic
    call puts
    pop eax
    call puts
    mov eax, PANIC_EXIT_CODE
    jmp pv_power_off

; Print the exception in the trap frame: its name, and where.  For a page fault, "where"
; is the address the program touched (cr2) and the instruction that touched it (eip).
print_fault:
    mov eax, [ebp+F_VEC]
    call fault_name
    call puts
    mov eax, msg_at
    call puts
    mov eax, [ebp+F_VEC]
    cmp eax, VEC_PF
    jne pfl_eip
    call pv_read_cr2
    call print_hex
    mov eax, msg_eip
    call puts
    mov eax, [ebp+F_EIP]
    call print_hex
    mov eax, ')'
    jmp pv_console_putc
pfl_eip:
    mov eax, [ebp+F_EIP]
    jmp print_hex

; eax = vector -> eax = its name
fault_name:
    mov ebx, eax
    mov eax, name_de
    cmp ebx, VEC_DE
    je fn_out
    mov eax, name_ud
    cmp ebx, VEC_UD
    je fn_out
    mov eax, name_gp
    cmp ebx, VEC_GP
    je fn_out
    mov eax, name_pf
fn_out:
    ret

; =====================================================================================
;  6. Scheduler: the timer, round robin, and the idle loop
; =====================================================================================
;  One kernel stack serves everybody.  A process that is not running keeps its
;  registers in its process slot (P_CTX, a copy of its trap frame).  To switch:
;  save_context copies the running process's frame into its slot, schedule picks the
;  next ready slot after it (round robin), and resume copies that slot's frame onto the
;  kernel stack, loads its page directory into cr3 and leaves through trap_return, so
;  the iret lands in the other process.

; The timer interrupt.  If it interrupted the kernel itself (the idle loop, or
; kernel_main after an sti), just go back.  A user process is preempted once it has
; seen SLICE_TICKS ticks since it was resumed: the first tick may come at any moment
; of its turn, so two ticks mean it has had the CPU for at least one whole period.
; (A process that yields or blocks sooner is never cut off in the middle of a turn.)
timer_entry:
    mov eax, [ticks]
    inc eax
    mov [ticks], eax
    call frame_cpl
    cmp eax, 3
    jne trap_return
    mov esi, [cur_proc]
    mov eax, [esi+P_SLICE]
    inc eax
    mov [esi+P_SLICE], eax
    cmp eax, SLICE_TICKS
    jb trap_return                  ; its time slice is not used up yet
switch_away:                        ; the running process steps aside (its frame is at ebp)
    mov esi, [cur_proc]
    call save_context
schedule:                           ; run the next ready process after the current slot
    mov esi, [cur_proc]
    mov ecx, MAX_PROCS
sch_next:
    add esi, PROC_SIZE
    cmp esi, proc_table_end
    jb sch_check
    mov esi, proc_table             ; wrap around
sch_check:
    mov eax, [esi+P_STATE]
    cmp eax, P_READY
    je resume
    loop sch_next
    mov esi, proc_table             ; nobody is ready. Is anybody left at all?
sch_any:
    mov eax, [esi+P_STATE]
    cmp eax, P_WAITING
    je idle                         ; yes, but blocked: wait for something to happen
    add esi, PROC_SIZE
    cmp esi, proc_table_end
    jb sch_any
    mov eax, [init_exit_code]       ; no process left: the run is over
    jmp pv_power_off

; Nothing can run.  Sleep until the next interrupt, then look again.  (If every process
; is blocked waiting for another, nothing will ever change: a deadlock, and the machine
; idles until its budget runs out.)
idle:
    mov esp, kstack_top             ; nothing on the kernel stack matters any more
    call pv_irq_enable
    call pv_halt
    call pv_irq_disable
    jmp schedule

; esi = a ready slot: make it the running process and return into it.
resume:
    mov [cur_proc], esi
    xor eax, eax
    mov [esi+P_SLICE], eax          ; a fresh time slice
    mov esp, kstack_top - FRAME_SIZE
    mov ebp, esp
    call load_context
    mov eax, [esi+P_PDIR]
    call pv_write_cr3               ; its address space: a new cr3 flushes the TLB
    jmp trap_return

; Trap frame at ebp -> slot esi (save_context), and back (load_context).
save_context:
    mov eax, [ebp+F_EDI]
    mov [esi+P_CTX+F_EDI], eax
    mov eax, [ebp+F_ESI]
    mov [esi+P_CTX+F_ESI], eax
    mov eax, [ebp+F_EBP]
    mov [esi+P_CTX+F_EBP], eax
    mov eax, [ebp+F_EBX]
    mov [esi+P_CTX+F_EBX], eax
    mov eax, [ebp+F_EDX]
    mov [esi+P_CTX+F_EDX], eax
    mov eax, [ebp+F_ECX]
    mov [esi+P_CTX+F_ECX], eax
    mov eax, [ebp+F_EAX]
    mov [esi+P_CTX+F_EAX], eax
    mov eax, [ebp+F_EIP]
    mov [esi+P_CTX+F_EIP], eax
    mov eax, [ebp+F_CS]
    mov [esi+P_CTX+F_CS], eax
    mov eax, [ebp+F_EFLAGS]
    mov [esi+P_CTX+F_EFLAGS], eax
    mov eax, [ebp+F_ESP]
    mov [esi+P_CTX+F_ESP], eax
    ret

load_context:
    mov eax, [esi+P_CTX+F_EDI]
    mov [ebp+F_EDI], eax
    mov eax, [esi+P_CTX+F_ESI]
    mov [ebp+F_ESI], eax
    mov eax, [esi+P_CTX+F_EBP]
    mov [ebp+F_EBP], eax
    mov eax, [esi+P_CTX+F_EBX]
    mov [ebp+F_EBX], eax
    mov eax, [esi+P_CTX+F_EDX]
    mov [ebp+F_EDX], eax
    mov eax, [esi+P_CTX+F_ECX]
    mov [ebp+F_ECX], eax
    mov eax, [esi+P_CTX+F_EAX]
    mov [ebp+F_EAX], eax
    mov eax, [esi+P_CTX+F_EIP]
    mov [ebp+F_EIP], eax
    mov eax, [esi+P_CTX+F_CS]
    mov [ebp+F_CS], eax
    mov eax, [esi+P_CTX+F_EFLAGS]
    mov [ebp+F_EFLAGS], eax
    mov eax, [esi+P_CTX+F_ESP]
    mov [ebp+F_ESP], eax
    ret

; =====================================================================================
;  7. Processes
; =====================================================================================

; eax = slot, ebx = entry point: set up the slot's saved frame so that the first
; resume enters `entry` in user mode (cs = ring 3, IF on) with all registers zero and
; an empty stack whose top word is the return address: the trampoline, which calls
; exit(eax).  That is how "returning from main exits with eax" works.
init_context:
    push esi
    mov esi, eax
    xor eax, eax
    mov [esi+P_CTX+F_EDI], eax
    mov [esi+P_CTX+F_ESI], eax
    mov [esi+P_CTX+F_EBP], eax
    mov [esi+P_CTX+F_EBX], eax
    mov [esi+P_CTX+F_EDX], eax
    mov [esi+P_CTX+F_ECX], eax
    mov [esi+P_CTX+F_EAX], eax
    mov [esi+P_CTX+F_EIP], ebx
    mov eax, USER_CS
    mov [esi+P_CTX+F_CS], eax
    mov eax, USER_EFLAGS
    mov [esi+P_CTX+F_EFLAGS], eax
    mov eax, USER_STACK_TOP - 4
    mov [esi+P_CTX+F_ESP], eax
    mov eax, [esi+P_PDIR]           ; write the return address into the stack page,
    mov ebx, USER_STACK_TOP - 4     ; found through the process's own page tables
    xor ecx, ecx
    call pte_lookup
    test eax, eax
    je ic_out
    mov eax, [eax]
    test eax, PTE_P
    je ic_out
    and eax, PAGE_FRAME
    mov ebx, TRAMPOLINE_VA
    mov [eax+((USER_STACK_TOP - 4) & (PAGE_SIZE - 1))], ebx
ic_out:
    pop esi
    ret

; esi = the slot of a process that ends, eax = its exit code.
proc_exit:
    mov [esi+P_EXIT], eax
    mov ebx, [esi+P_PID]
    cmp ebx, 1
    jne pe_memory
    mov [init_exit_code], eax       ; the run's exit code is process 1's
pe_memory:
    mov eax, kernel_pgdir           ; leave the address space before tearing it down
    call pv_write_cr3
    mov eax, [esi+P_PDIR]
    call free_address_space
    xor eax, eax
    mov [esi+P_PDIR], eax
    call orphan_children
    mov eax, [esi+P_PARENT]         ; is the parent waiting for us?
    test eax, eax
    je pe_reap                      ; no parent: nobody will ever ask for our code
    call find_proc
    test eax, eax
    je pe_reap
    mov ebx, [eax+P_STATE]
    cmp ebx, P_WAITING
    jne pe_zombie
    mov ebx, [eax+P_WAITFOR]
    cmp ebx, [esi+P_PID]
    jne pe_zombie
    mov ebx, [esi+P_EXIT]           ; yes: our code becomes its wait() result,
    mov [eax+P_CTX+F_EAX], ebx
    mov ebx, P_READY                ; it can run again,
    mov [eax+P_STATE], ebx
pe_reap:                            ; and our slot is free at once
    xor eax, eax
    mov [esi+P_STATE], eax
    ret
pe_zombie:                          ; not yet: keep the exit code until it waits
    mov eax, P_ZOMBIE
    mov [esi+P_STATE], eax
    ret

; esi = a process that ends: its children lose their parent.  Children that already
; exited are reaped now (nobody can wait for them any more).
orphan_children:
    mov ebx, [esi+P_PID]
    mov eax, proc_table
oc_loop:
    mov ecx, [eax+P_STATE]
    cmp ecx, P_FREE
    je oc_next
    cmp ebx, [eax+P_PARENT]
    jne oc_next
    xor edx, edx
    mov [eax+P_PARENT], edx
    cmp ecx, P_ZOMBIE
    jne oc_next
    mov [eax+P_STATE], edx          ; P_FREE
oc_next:
    add eax, PROC_SIZE
    cmp eax, proc_table_end
    jb oc_loop
    ret

; eax = pid -> eax = its slot, or 0 if no such process
find_proc:
    mov ebx, eax
    mov eax, proc_table
fpr_loop:
    mov ecx, [eax+P_STATE]
    test ecx, ecx
    je fpr_next
    cmp ebx, [eax+P_PID]
    je fpr_out
fpr_next:
    add eax, PROC_SIZE
    cmp eax, proc_table_end
    jb fpr_loop
    xor eax, eax
fpr_out:
    ret

; -> eax = a free slot, or 0 if the table is full
find_free_slot:
    mov eax, proc_table
ffs_loop:
    mov ecx, [eax+P_STATE]
    test ecx, ecx
    je ffs_out
    add eax, PROC_SIZE
    cmp eax, proc_table_end
    jb ffs_loop
    xor eax, eax
ffs_out:
    ret

; =====================================================================================
;  8. Memory: page frames and page tables
; =====================================================================================
;  Page frames.  A frame never used yet is taken from the top of the untouched part of
;  RAM (next_unused counts upwards); a frame given back goes on a linked list: the first
;  word of a free frame holds the address of the next one (0 ends the list).  Taking a
;  frame pops the list first, else the next unused frame; giving one back pushes it.  No
;  bitmap, no search: O(1).  Untouched RAM stays untouched until it is needed, which a
;  hypervisor that hands out host memory only on first touch notices (docs/hosts.md).
;  The kernel can write into any frame because all RAM is identity-mapped for it.
;ko:  페이지 프레임.  아직 한 번도 쓰지 않은 프레임은 RAM의 쓰지 않은 부분에서 차례로
;ko:  꺼내고(next_unused가 위로 올라감), 돌려받은 프레임은 연결 리스트에 넣습니다.  빈 프레임의
;ko:  첫 워드에 다음 빈 프레임의 주소가 있습니다(0이면 끝).  프레임을 얻을 때는 리스트를 먼저
;ko:  보고, 없으면 다음 미사용 프레임을 씁니다.  비트맵도 탐색도 없이 O(1)입니다.  쓰지 않은 RAM은
;ko:  필요할 때까지 건드리지 않으므로, 첫 접근 때에야 호스트 메모리를 내주는 하이퍼바이저가 그
;ko:  차이를 봅니다(docs/hosts.md).  커널은 모든 RAM을 같은 주소로 매핑해 두었으므로 어느
;ko:  프레임에든 쓸 수 있습니다.

; eax = first free address, ebx = end of RAM (both page aligned)
frame_init:
    mov [next_unused], eax
    mov ecx, ebx
    sub ecx, eax
    shr ecx, 12
    mov [free_frames], ecx
    ret

; -> eax = a frame (its contents are whatever was there), or 0 if memory is full
alloc_frame:
    mov eax, [free_list]
    test eax, eax
    je af_unused
    mov ecx, [eax]
    mov [free_list], ecx
    jmp af_taken
af_unused:                          ; the list is empty: a frame never used yet, if any is left
    mov eax, [next_unused]
    mov ecx, [ram_end]
    cmp eax, ecx
    jae af_none
    mov ecx, eax
    add ecx, PAGE_SIZE
    mov [next_unused], ecx
af_taken:
    mov ecx, [free_frames]
    dec ecx
    mov [free_frames], ecx
    ret
af_none:
    xor eax, eax
    ret

; -> eax = a frame filled with zeros, or 0
alloc_zeroed_frame:
    call alloc_frame
    test eax, eax
    je azf_out
    call zero_page
azf_out:
    ret

; eax = a frame to give back
free_frame:
    mov ecx, [free_list]
    mov [eax], ecx
    mov [free_list], eax
    mov ecx, [free_frames]
    inc ecx
    mov [free_frames], ecx
    ret

; eax = frame: fill it with zeros (eax is kept).  Eight stores per turn of the loop.
zero_page:
    mov ebx, eax
    mov ecx, PAGE_SIZE / 32
    xor edx, edx
zp_loop:
    mov [ebx], edx
    mov [ebx+4], edx
    mov [ebx+8], edx
    mov [ebx+12], edx
    mov [ebx+16], edx
    mov [ebx+20], edx
    mov [ebx+24], edx
    mov [ebx+28], edx
    add ebx, 32
    loop zp_loop
    ret

; eax = source frame, ebx = destination frame: copy 4 KiB
copy_page:
    mov ecx, PAGE_SIZE / 32
cp_loop:
    mov edx, [eax]
    mov [ebx], edx
    mov edx, [eax+4]
    mov [ebx+4], edx
    mov edx, [eax+8]
    mov [ebx+8], edx
    mov edx, [eax+12]
    mov [ebx+12], edx
    mov edx, [eax+16]
    mov [ebx+16], edx
    mov edx, [eax+20]
    mov [ebx+20], edx
    mov edx, [eax+24]
    mov [ebx+24], edx
    mov edx, [eax+28]
    mov [ebx+28], edx
    add eax, 32
    add ebx, 32
    loop cp_loop
    ret

;  Page tables.  A virtual address splits into three parts: bits 31-22 pick one of the
;  1024 entries of the page directory, bits 21-12 one of the 1024 entries of the page
;  table that entry points to, and bits 11-0 the byte in the 4 KiB page.  Every
;  process has its own page directory; entry 0 of each points at the same kernel page
;  table, so the kernel is at the same place in every address space.  User page tables
;  are created when first needed.  All writes to any entry go through pv_set_pte.

; -> eax = a new page directory that maps only the kernel, or 0 if memory is full
new_address_space:
    call alloc_zeroed_frame
    test eax, eax
    je nas_out
    mov edx, kernel_pt
    or edx, PTE_KERNEL              ; no PTE_U: user code cannot reach the kernel
    call pv_set_pte                 ; (eax = the address of entry 0)
nas_out:
    ret

; eax = page directory, ebx = virtual address, ecx = 1 to create a missing page table.
; -> eax = the address of the page-table entry for that address, or 0 if there is no
;    page table (and none was created).
pte_lookup:
    push esi
    push edi
    mov esi, ebx
    shr ebx, 22                     ; directory index
    shl ebx, 2
    add ebx, eax
    mov edi, ebx                    ; edi = address of the directory entry
    mov eax, [edi]
    test eax, PTE_P
    jne pl_table
    test ecx, ecx
    je pl_none
    call alloc_zeroed_frame         ; a new, empty page table
    test eax, eax
    je pl_none
    mov edx, eax
    or edx, PTE_USER                ; (each page's own entry decides its final rights)
    mov eax, edi
    call pv_set_pte
    call pv_flush_mmu               ; the new directory entry must be visible right away
    mov eax, edx
pl_table:
    and eax, PAGE_FRAME             ; the page table...
    mov ebx, esi
    shr ebx, 10                     ; ...and the entry's offset in it: index * 4
    and ebx, 0xFFC
    add eax, ebx
    pop edi
    pop esi
    ret
pl_none:
    xor eax, eax
    pop edi
    pop esi
    ret

; eax = page directory, ebx = virtual address, edx = the entry (frame | bits).
; -> eax = 0, or -1 if a page table was needed and memory is full
map_page:
    push edx
    mov ecx, 1
    call pte_lookup
    pop edx
    test eax, eax
    je mp_fail
    call pv_set_pte
    xor eax, eax
    ret
mp_fail:
    mov eax, -1
    ret

; eax = the address of a present page-table entry: clear it and free its frame, unless
; the page is shared (the trampoline belongs to the kernel).  ebx is kept; eax = 0.
release_page:
    mov ecx, [eax]
    xor edx, edx
    call pv_set_pte
    test ecx, PTE_SHARED
    jne rp_out
    mov eax, ecx
    and eax, PAGE_FRAME
    call free_frame
rp_out:
    xor eax, eax
    ret

; eax = first entry to look at, ebx = end (exclusive, a multiple of 32 bytes).
; -> eax = the address of the first present entry, or ebx if there is none.
; Most entries are empty, so it tests eight at a time (or-ing them together); it steps
; one by one only up to the next 32-byte boundary, so a group never reaches past ebx.
find_present:
fpe_single:
    cmp eax, ebx
    jae fpe_none
    test eax, 31
    je fpe_group
    mov ecx, [eax]
    test ecx, PTE_P
    jne fpe_out
    add eax, 4
    jmp fpe_single
fpe_group:
    cmp eax, ebx
    jae fpe_none
    mov ecx, [eax]
    or ecx, [eax+4]
    or ecx, [eax+8]
    or ecx, [eax+12]
    or ecx, [eax+16]
    or ecx, [eax+20]
    or ecx, [eax+24]
    or ecx, [eax+28]
    test ecx, PTE_P
    jne fpe_one
    add eax, 32
    jmp fpe_group
fpe_one:                            ; one of these eight is present: which one?
    mov ecx, [eax]
    test ecx, PTE_P
    jne fpe_out
    add eax, 4
    jmp fpe_one
fpe_none:
    mov eax, ebx
fpe_out:
    ret

; eax = page directory, ebx = a routine.  Calls the routine once for every present
; user page, with eax = the address of its page-table entry and ebx = its virtual
; address.  The routine returns eax = 0 to go on; anything else stops the walk.
; -> eax = 0 if every page was visited, -1 if the routine stopped it.
walk_user_pages:
    push esi
    push edi
    mov [walk_routine], ebx
    mov esi, eax
    add eax, (MAP_LIMIT >> 22) * 4
    mov [walk_pd_end], eax
    add esi, 4                      ; entry 0 is the kernel's: skip it
wu_pde:
    mov eax, esi
    mov ebx, [walk_pd_end]
    call find_present
    cmp eax, [walk_pd_end]
    jae wu_done
    mov esi, eax                    ; esi = a present directory entry
    mov edi, [esi]
    and edi, PAGE_FRAME             ; edi = its page table
    mov eax, edi
    add eax, PAGE_SIZE
    mov [walk_pt_end], eax
wu_pte:
    mov eax, edi
    mov ebx, [walk_pt_end]
    call find_present
    cmp eax, [walk_pt_end]
    jae wu_next_pde
    mov edi, eax                    ; edi = a present page-table entry
    mov ebx, esi                    ; its virtual address: directory index << 22
    and ebx, PAGE_SIZE - 1
    shl ebx, 20
    mov ecx, edi                    ; ...plus table index << 12
    and ecx, PAGE_SIZE - 1
    shl ecx, 10
    or ebx, ecx
    mov ecx, [walk_routine]
    call ecx
    test eax, eax
    jne wu_stop
    add edi, 4
    jmp wu_pte
wu_next_pde:
    add esi, 4
    jmp wu_pde
wu_done:
    xor eax, eax
wu_out:
    pop edi
    pop esi
    ret
wu_stop:
    mov eax, -1
    jmp wu_out

; eax = source page directory, ebx = destination page directory: give the destination
; its own copy of every user page of the source ("eager copy", as fork did before
; copy-on-write).  Shared pages are mapped, not copied, and the stack is not copied:
; the new process gets fresh zeroed stack pages.  -> eax = 0, or -1 if memory ran out.
copy_address_space:
    mov [copy_dest], ebx
    call pv_lazy_mmu_begin          ; a paravirtual kernel batches the child's entries
    mov ebx, copy_one_page
    call walk_user_pages
    jmp pv_lazy_mmu_end             ; (sends what is left; keeps eax, the result)

copy_one_page:                      ; eax = source entry, ebx = virtual address
    push esi
    push edi
    mov esi, [eax]                  ; esi = the source entry
    mov edi, ebx                    ; edi = the virtual address
    test esi, PTE_SHARED
    jne cop_map
    cmp edi, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE
    jb cop_copy
    cmp edi, USER_STACK_TOP
    jae cop_copy
    call alloc_zeroed_frame         ; a stack page: start empty
    test eax, eax
    je cop_fail
    jmp cop_new_frame
cop_copy:
    call alloc_frame
    test eax, eax
    je cop_fail
    mov ebx, eax                    ; the new frame
    mov eax, esi
    and eax, PAGE_FRAME
    push ebx
    call copy_page
    pop eax
cop_new_frame:                      ; eax = the new frame: same rights as the source
    and esi, PAGE_SIZE - 1
    or esi, eax
cop_map:
    and esi, PAGE_FRAME | PTE_USER | PTE_SHARED   ; (drop the accessed/dirty bits)
    mov eax, [copy_dest]
    mov ebx, edi
    mov edx, esi
    call map_page
    test eax, eax
    je cop_out
    test esi, PTE_SHARED            ; no page table for it: give the frame back
    jne cop_fail
    mov eax, esi
    and eax, PAGE_FRAME
    call free_frame
cop_fail:
    mov eax, -1
cop_out:
    pop edi
    pop esi
    ret

; eax = a page directory that is NOT loaded in cr3: free every user page, every user
; page table and the directory itself.
free_address_space:
    push esi
    push edi
    mov esi, eax
    call pv_lazy_mmu_begin          ; the leaf entries go in batches (paravirtual kernel)...
    mov ebx, release_page
    call walk_user_pages
    call pv_lazy_mmu_end            ; ...all sent before any page table is freed
    mov edi, esi
    add edi, (MAP_LIMIT >> 22) * 4  ; edi = end of the user directory entries
    mov eax, esi
    add eax, 4
fas_table:
    mov ebx, edi
    call find_present
    cmp eax, edi
    jae fas_directory
    mov ebx, [eax]
    xor edx, edx
    call pv_set_pte                 ; the directory entry goes...
    push eax
    mov eax, ebx
    and eax, PAGE_FRAME
    call free_frame                 ; ...and so does the page table
    pop eax
    add eax, 4
    jmp fas_table
fas_directory:
    mov eax, esi                    ; entry 0 (the shared kernel table) is only unlinked
    xor edx, edx
    call pv_set_pte
    mov eax, esi
    call free_frame
    pop edi
    pop esi
    ret

; =====================================================================================
;  9. Console: text and numbers
; =====================================================================================

; eax = address of a zero-terminated string
puts:
    push esi
    mov esi, eax
puts_loop:
    movb eax, [esi]
    test eax, eax
    je puts_out
    call pv_console_putc
    inc esi
    jmp puts_loop
puts_out:
    pop esi
    ret

; eax = value: print it as 0x and eight hex digits
print_hex:
    push esi
    push edi
    mov esi, eax
    mov eax, '0'
    call pv_console_putc
    mov eax, 'x'
    call pv_console_putc
    mov edi, 8
ph_loop:
    mov eax, esi
    shr eax, 28                     ; the top four bits...
    movb eax, [eax+hex_digits]
    call pv_console_putc
    shl esi, 4                      ; ...then the next four
    dec edi
    jne ph_loop
    pop edi
    pop esi
    ret

; eax = value: print it in decimal.  Digits come out last-first, so push them, then pop.
print_dec:
    push esi
    xor esi, esi
pd_divide:
    mov ecx, 10
    xor edx, edx                    ; div divides edx:eax, as on x86
    div ecx                         ; eax = eax / 10, edx = the digit
    push edx
    inc esi
    test eax, eax
    jne pd_divide
pd_print:
    pop eax
    add eax, '0'
    call pv_console_putc
    dec esi
    jne pd_print
    pop esi
    ret

.if VERBOSE
; "[minios] kernel 0x.. program 0x.. (0x.. bytes) free 0x..-0x.. (N pages)"
print_layout:
    mov eax, msg_layout_kernel
    call puts
    mov eax, KERNEL_BASE
    call print_hex
    mov eax, msg_layout_program
    call puts
    mov eax, [boot_image_phys]
    call print_hex
    mov eax, msg_layout_size
    call puts
    mov eax, [boot_image_size]
    call print_dec
    mov eax, msg_layout_free
    call puts
    mov eax, [first_free]
    call print_hex
    mov eax, '-'
    call pv_console_putc
    mov eax, [ram_end]
    call print_hex
    mov eax, msg_layout_pages
    call puts
    mov eax, [free_frames]
    call print_dec
    mov eax, msg_layout_end
    jmp puts
.endif

; =====================================================================================
;  10. PV sites: every privileged instruction of the kernel, each in its own routine
; =====================================================================================
;  On real hardware these are single instructions.  Under a hypervisor each one may
;  trap (trap & emulate), be translated (binary translation) or be replaced by a
;  hypercall or a write to shared memory (paravirtualization).  Keeping them here,
;  one small routine each, is what Linux's paravirt-ops does: a paravirtualized build
;  of this kernel swaps the body of a routine and nothing else changes.
;  Each keeps every register except its result.  (pv_iret is in section 3: it is the
;  last instruction of trap_return.)

pv_init:                            ; meet the hypervisor (nothing to do on bare hardware)
.if GUEST_pv_init
    push eax
    push ebx
    mov eax, HC_SHARED_INFO         ; where our event mask (our "IF") lives from now on
    mov ebx, shared_info
    vmcall
    pop ebx
    pop eax
.endif
    ret

pv_irq_disable:                     ; interrupts off
.if GUEST_pv_irq_disable
    push eax                        ; a plain store to the shared page: no trap, no hypercall
    mov eax, 1
    movb [shared_info+SI_MASK], eax
    pop eax
.else
    cli
.endif
    ret

pv_irq_enable:                      ; interrupts on
.if GUEST_pv_irq_enable
    push eax
    mov eax, 0
    movb [shared_info+SI_MASK], eax
    pop eax
.else
    sti
.endif
    ret

pv_halt:                            ; sleep until the next interrupt
.if GUEST_pv_halt
    push eax
    push ebx
    mov eax, HC_SCHED_OP            ; "block": give the CPU back until an event arrives
    mov ebx, SCHED_BLOCK
    vmcall
    pop ebx
    pop eax
.else
    hlt
.endif
    ret

pv_write_cr3:                       ; eax = page directory: switch address space
.if GUEST_pv_write_cr3
    push eax
    push ebx
    mov ebx, eax
    mov eax, HC_NEW_BASEPTR
    vmcall
    pop ebx
    pop eax
.else
    mov cr3, eax
.endif
    ret

pv_read_cr0:                        ; -> eax = cr0
    mov eax, cr0
    ret

pv_write_cr0:                       ; eax = new cr0 (paging, write protect)
    mov cr0, eax
    ret

pv_read_cr2:                        ; -> eax = the address of the last page fault
.if GUEST_pv_read_cr2
    mov eax, [shared_info+SI_CR2]   ; the hypervisor leaves it in the shared page
.else
    mov eax, cr2
.endif
    ret

pv_set_pte:                         ; eax = address of a page-table or page-directory
.if GUEST_pv_set_pte                ;       entry, edx = its new value
    push ebx                        ; the page tables are read-only to a paravirtualized
    push ecx                        ; kernel: ask the hypervisor, which checks the frame
    mov ecx, [mmu_count]            ; is ours (mmu_update, up to 2048 entries per call)
    mov ebx, ecx
    shl ebx, 3
    add ebx, mmu_batch
    mov [ebx], eax                  ; queue (entry address, value)
    mov [ebx+4], edx
    inc ecx
    mov [mmu_count], ecx
    mov ebx, [mmu_lazy]             ; outside a batch, or with the queue full: send now
    test ebx, ebx
    je pse_send
    cmp ecx, MMU_BATCH
    jb pse_out
pse_send:
    call pv_flush_mmu
pse_out:
    pop ecx
    pop ebx
.else
    mov [eax], edx
.endif
    ret

pv_flush_mmu:                       ; send the queued page-table updates in one hypercall
.if GUEST_pv_set_pte                ; (on bare hardware nothing is ever queued)
    push eax
    push ebx
    push ecx
    mov ecx, [mmu_count]
    test ecx, ecx
    je pfm_out
    mov eax, HC_MMU_UPDATE
    mov ebx, mmu_batch
    vmcall
    xor ecx, ecx
    mov [mmu_count], ecx
pfm_out:
    pop ecx
    pop ebx
    pop eax
.endif
    ret

pv_lazy_mmu_begin:                  ; from here on, queue page-table updates (as Linux's
.if GUEST_pv_set_pte                ; arch_enter_lazy_mmu_mode)
    push eax
    mov eax, 1
    mov [mmu_lazy], eax
    pop eax
.endif
    ret

pv_lazy_mmu_end:                    ; send the queue and stop batching; keeps eax
.if GUEST_pv_set_pte
    call pv_flush_mmu
    push eax
    xor eax, eax
    mov [mmu_lazy], eax
    pop eax
.endif
    ret

pv_invlpg:                          ; eax = a virtual address: forget its translation
.if GUEST_pv_invlpg
    push eax
    push ebx
    mov ebx, eax
    mov eax, HC_INVLPG
    vmcall
    pop ebx
    pop eax
.else
    invlpg [eax]
.endif
    ret

pv_load_idt:                        ; eax = address of the IDT descriptor (base, limit)
.if GUEST_pv_load_idt
    push eax                        ; register a trap table instead.  Its system-call gate
    push ebx                        ; runs in ring 1, where this kernel lives, so the
    push ecx                        ; hardware can enter the kernel without the hypervisor
    mov ebx, [idt+VEC_SYSCALL*8+4]
    or ebx, GATE_RING1 | GATE_TRAP  ; a trap gate: entering leaves the real IF on
    mov [idt+VEC_SYSCALL*8+4], ebx
    mov ebx, [eax]
    mov ecx, [eax+4]
    mov eax, HC_SET_TRAP_TABLE
    vmcall
    pop ecx
    pop ebx
    pop eax
.else
    lidt [eax]
.endif
    ret

pv_set_kernel_stack:                ; eax = stack for traps from user mode (MSR 0x175)
.if GUEST_pv_set_kernel_stack
    push eax
    push ebx
    mov ebx, eax
    mov eax, HC_STACK_SWITCH
    vmcall
    pop ebx
    pop eax
.else
    push ecx
    push edx
    mov ecx, MSR_KERNEL_ESP
    xor edx, edx
    wrmsr
    pop edx
    pop ecx
.endif
    ret

pv_console_putc:                    ; eax = a character for the console
.if GUEST_pv_console_putc
    push eax
    push ebx
    push ecx
    movb [console_char], eax
    mov eax, HC_CONSOLE_IO
    mov ebx, console_char
    mov ecx, 1
    vmcall
    pop ecx
    pop ebx
    pop eax
.else
    out 0xE9, eax
.endif
    ret

pv_set_timer:                       ; eax = timer period in cycles (0 stops it)
.if GUEST_pv_set_timer
    push eax
    push ebx
    mov ebx, eax
    mov eax, HC_SET_TIMER
    vmcall
    pop ebx
    pop eax
.else
    out 0x40, eax
.endif
    ret

; The network driver.  The native driver drives the card's registers: four accesses per
; packet, each a trap or an exit under a hypervisor that emulates the card.  The paravirtual
; one is a split driver's front end, as in Xen: it shares a virtio-style ring with the
; hypervisor's back end (set up once, with the packet buffer's page granted to the back end,
; which may read no other page), and tells it about a packet with an event-channel hypercall.
pv_net_send:                        ; eax = buffer (physical), ebx = length -> eax = 0 sent, 1 not
.if GUEST_pv_net_send
    push ebx
    push ecx
    push edx
    push eax
    mov eax, [net_ready]
    test eax, eax
    jne pv_net_send_ready
    mov eax, HC_NET_SETUP           ; the ring, shared with the back end
    mov ebx, net_ring
    vmcall
    mov eax, 1                      ; available-ring flags: no interrupts, the driver looks
    mov [net_ring + NET_AVAIL], eax
    mov eax, HC_GRANT_ACCESS        ; the back end may read the packet buffer's page
    mov ebx, net_buffer
    vmcall
    mov eax, 1
    mov [net_ready], eax
pv_net_send_ready:
    pop eax
    mov [net_ring], eax             ; descriptor 0: the buffer and its length
    mov ecx, [esp + 8]
    mov [net_ring + 4], ecx
    mov eax, [net_ring + NET_AVAIL + 4]
    mov edx, eax                    ; avail.ring[idx % 16] = descriptor 0
    and edx, 15
    shl edx, 2
    xor ecx, ecx
    mov [edx + net_ring + NET_AVAIL + 8], ecx
    inc eax
    mov [net_ring + NET_AVAIL + 4], eax
    mov eax, HC_EVENT_CHANNEL_SEND  ; tell the back end
    vmcall
    mov eax, [net_ring + NET_USED + 4]
    dec eax                         ; the length it sent: used.ring[(used.idx - 1) % 16]
    and eax, 15
    shl eax, 3
    mov ecx, [eax + net_ring + NET_USED + 12]
    xor eax, eax
    test ecx, ecx
    jne pv_net_send_done
    inc eax                         ; 0 bytes sent: it failed
pv_net_send_done:
    pop edx
    pop ecx
    pop ebx
.else
    push eax
    mov eax, [net_ready]
    test eax, eax
    jne pv_net_send_on
    mov eax, 1                      ; bus mastering on: the card may read memory by DMA
    out 0x5F, eax
    mov [net_ready], eax
pv_net_send_on:
    pop eax
    out 0x58, eax                   ; the buffer's address
    out 0x59, ebx                   ; its length
    out 0x5A, eax                   ; send
    in eax, 0x5B                    ; 0: it went out
.endif
    ret

pv_disk_transfer:                   ; eax = frame, ebx = slot, ecx = DISK_WRITE or DISK_READ
    out 0x70, eax                   ;   -> eax = 0 done, 1 refused (the disk's registers: the
    out 0x71, ebx                   ;   same in the paravirtual build, where they trap to the
    out 0x72, ecx                   ;   hypervisor's model of the disk)
    in eax, 0x73
    ret

pv_power_off:                       ; eax = exit code; the machine stops
    out 0xF4, eax
    ret

pv_read_tsc:                        ; -> eax = the cycle counter, low 32 bits
    push edx
    rdtsc
    pop edx
    ret

; =====================================================================================
;  11. Data
; =====================================================================================
;  On a page of its own: a hypervisor that translates the kernel's code watches whole code
;  pages for writes (binary translation), so a variable next to code would throw that
;  code's translation away at every store.
;ko:  데이터는 자기만의 페이지에서 시작합니다.  커널 코드를 번역하는 하이퍼바이저(이진 변환)는
;ko:  코드 페이지 전체의 쓰기를 지켜보므로, 코드 옆에 변수가 있으면 저장할 때마다 그 코드의
;ko:  번역을 버리게 됩니다.

.align 4096
cur_proc:         .word 0           ; slot of the running (or last run) process
mmu_count:        .word 0           ; page-table updates queued for mmu_update
mmu_lazy:         .word 0           ; 1 while a batch is being collected
console_char:     .word 0           ; the byte console_io prints
net_ready:        .word 0           ; 1 once the network driver has set the card (or ring) up
shared_info:      .word 0, 0        ; shared with the hypervisor: event mask, last fault address
fault_hook:       .word 0           ; kernel_main's fault handler (0: none), see kernel_entry
next_pid:         .word 1
init_exit_code:   .word 0           ; process 1's exit code: the run's exit code
ticks:            .word 0           ; timer interrupts so far
free_list:        .word 0           ; first free frame (0: none)
free_frames:      .word 0           ; how many frames are on the list
first_free:       .word 0
next_unused:      .word 0           ; the lowest frame never handed out yet
balloon_pages:    .word 0           ; frames the balloon driver gave to the host
ram_end:          .word 0
walk_routine:     .word 0           ; walk_user_pages's state
walk_pd_end:      .word 0
walk_pt_end:      .word 0
copy_dest:        .word 0           ; copy_address_space's destination directory

boot_ram:         .word 0           ; the boot-info block, copied
boot_image_phys:  .word 0
boot_image_size:  .word 0
boot_image_vaddr: .word 0
boot_main:        .word 0
boot_kernel_main: .word 0

idt_descriptor:   .word idt, IDT_ENTRIES * 8 - 1

hex_digits:        .ascii "0123456789abcdef"
msg_process:       .asciz "[minios] process "
msg_killed:        .asciz " killed: "
msg_at:            .asciz " at "
msg_eip:           .asciz " (eip "
msg_panic:         .asciz "[minios] kernel panic: "
msg_no_boot_info:  .asciz "no boot info\n"
msg_out_of_memory: .asciz "out of memory\n"
name_de:           .asciz "#DE divide error"
name_ud:           .asciz "#UD invalid opcode"
name_gp:           .asciz "#GP general protection"
name_pf:           .asciz "#PF page fault"
.if VERBOSE
msg_layout_kernel:  .asciz "[minios] kernel "
msg_layout_program: .asciz " program "
msg_layout_size:    .asciz " ("
msg_layout_free:    .asciz " bytes) free "
msg_layout_pages:   .asciz " ("
msg_layout_end:     .asciz " pages)\n"
.endif

.align 8
mmu_batch:  .zero MMU_BATCH * 8     ; the queued (entry address, value) pairs
idt:        .zero IDT_ENTRIES * 8
proc_table: .zero MAX_PROCS * PROC_SIZE
proc_table_end:

; =====================================================================================
;  12. Page-aligned memory
; =====================================================================================

.align 4096
kernel_pgdir: .zero 4096            ; the kernel's own page directory (no process loaded)
kernel_pt:    .zero 4096            ; the identity map of RAM, shared by every process

; The trampoline page, mapped read-only into every process at TRAMPOLINE_VA.  A new
; process's stack starts with TRAMPOLINE_VA as its return address, so when `main` (or
; a spawned entry) returns, it lands here and calls exit with its eax.
user_trampoline:
    mov ebx, eax
    mov eax, 1                      ; exit(ebx)
    int 0x80
.align 4096

net_ring:     .zero 4096            ; the paravirtual network driver's ring (section 10)
net_buffer:   .zero 4096            ; the one packet being sent (its physical address is its own)
kstack:       .zero 4096            ; the kernel stack (traps from user mode start at its top)
kstack_top:
kernel_end:
