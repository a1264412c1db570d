; ch7_paging.s — a guest kernel that keeps remapping pages (the "ptemod" pattern).
;
; It builds its page tables (RAM identity-mapped, plus an empty table for a scratch
; area), turns paging on, then ROUNDS times: points the PAGES scratch pages at fresh
; frames (a page-table write and an invlpg each), and writes and reads every page.
; Expected output: "remapped 32 pages, checksum 48", exit code 0.
;
; Guest form (a paravirtualized kernel, as Xen's): GUEST_remap collects the round's
; page-table updates in a list and hands them to the hypervisor in ONE mmu_update
; hypercall, which checks each one (the guest may not map memory it does not own).

.equ PAGES, 8
.equ ROUNDS, 4
.equ SCRATCH, 0x00400000        ; virtual address of the scratch area (directory entry 1)
.equ FRAMES, 0x00040000         ; the frames the scratch pages take turns to map
.equ PTE_PW, 3                  ; present, writable
.equ HC_MMU_UPDATE, 1           ; hypercall: ebx = [(pte address, value)…], ecx = count
.equ GUEST_remap, 0

_start:
    mov esp, 0x80000
    mov edi, pt_ram             ; identity-map the first 1 MiB
    mov eax, PTE_PW
    mov ecx, 256
identity:
    mov [edi], eax
    add eax, 4096
    add edi, 4
    loop identity
    mov eax, pt_ram
    or eax, PTE_PW
    mov [pgdir], eax
    mov eax, pt_scratch
    or eax, PTE_PW
    mov [pgdir + 4], eax
    mov eax, pgdir
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010001          ; paging, write protect, protected mode
    mov cr0, eax
    xor ebp, ebp                ; ebp = round, edx = checksum
    xor edx, edx
round:
    xor esi, esi                ; esi = page
map_page:
    mov edi, esi                ; edi = the page's entry in the scratch table
    shl edi, 2
    add edi, pt_scratch
    mov eax, ebp                ; eax = frame: FRAMES + (round % 2) * PAGES pages + page
    and eax, 1
    imul eax, PAGES
    add eax, esi
    shl eax, 12
    add eax, FRAMES
    or eax, PTE_PW
remap:
.if GUEST_remap
    mov ebx, esi                ; modified: queue (entry, value) for one mmu_update
    shl ebx, 3
    add ebx, requests
    mov [ebx], edi
    mov [ebx + 4], eax
.else
    mov [edi], eax              ; slot `remap`: a store into a page table (innocuous)
.endif
    mov ebx, esi
    shl ebx, 12
    add ebx, SCRATCH
flush:
    invlpg [ebx]                ; slot `flush`: privileged
    inc esi
    cmp esi, PAGES
    jne map_page
.if GUEST_remap
    push edx
    mov eax, HC_MMU_UPDATE
    mov ebx, requests
    mov ecx, PAGES
    vmcall
    pop edx
.endif
    xor esi, esi
touch_page:
    mov ebx, esi
    shl ebx, 12
    add ebx, SCRATCH
touch:
    mov [ebx], ebp              ; slot `touch`: innocuous (a store to the page)
    add edx, [ebx]
    inc esi
    cmp esi, PAGES
    jne touch_page
    inc ebp
    cmp ebp, ROUNDS
    jne round
    mov ebx, edx
    mov esi, s_done
    call puts
    mov eax, ebx
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

s_done: .asciz "remapped 32 pages, checksum "
.align 4096
requests:   .zero PAGES * 8
.align 4096
pgdir:      .zero 4096
pt_ram:     .zero 4096
pt_scratch: .zero 4096
