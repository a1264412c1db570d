; ptemod.s — Adams & Agesen 2006, nanobenchmark "ptemod": the guest kernel rewrites one of its
; own page-table entries ITER times. Published (cycles per write): native 1, BT 391, VT 12733.
; Natively it is one store. A hypervisor must see every write to a page table (it keeps shadow
; tables, or validates direct ones), so the store traps — or, under binary translation, is
; re-translated into a cheaper callout once it has trapped a few times.
; The loop does eight writes per turn, so the loop itself costs little per write.

.equ ITER, 48                               ; writes (rounded up to a multiple of 8)
.equ PDE_SHIFT, 22

kernel_main:
    mov eax, cr3                            ; this address space's page directory
    mov ebx, [eax + (target >> PDE_SHIFT) * 4]
    and ebx, 0xFFFFF000                     ; the page table that maps `target`
    add ebx, ((target >> 12) & 0x3FF) * 4   ; ebx = the address of target's PTE
    mov edx, [ebx]
    mov ecx, (ITER + 7) / 8
again:
pte_write:
    mov [ebx], edx                          ; write the entry back (unchanged), eight times
    mov [ebx], edx
    mov [ebx], edx
    mov [ebx], edx
    mov [ebx], edx
    mov [ebx], edx
    mov [ebx], edx
    mov [ebx], edx
    loop again
    mov eax, 0
    ret

    .align 4096
target:
    .word 0
