; bare_metal.s: a `_start` program: no mini-OS at all.
;
; Shows:  with `_start:` the program itself is loaded at address 0 and runs from reset,
;         at CPL 0 with paging off and no kernel underneath: it owns the machine. It
;         writes the console port directly and ends the run by writing its exit code
;         to the power-off port 0xF4.
;
; Expected output:
;   bare metal: CPL 0, paging off, 6 * 7 = 42
; Exit code: 42

_start:
    mov esi, s_hello
    call puts
    mov eax, cs
    and eax, 3
    add eax, '0'
    out 0xE9, eax
    mov esi, s_paging
    call puts
    mov eax, cr0
    mov esi, s_on
    test eax, 0x80000000        ; cr0.PG
    jne paging_said
    mov esi, s_off
paging_said:
    call puts
    mov eax, 6
    imul eax, 7
    push eax
    mov ecx, 10                 ; print a two-digit number
    xor edx, edx                ; (div divides edx:eax)
    div ecx
    add eax, '0'
    out 0xE9, eax
    add edx, '0'
    out 0xE9, edx
    mov eax, 10
    out 0xE9, eax
    pop eax
    out 0xF4, eax               ; power off: the exit code is 42

; the library's console routines: puts prints the string at esi to port 0xE9
.include "console.s"

s_hello:  .asciz "bare metal: CPL "
s_paging: .asciz ", paging "
s_on:     .asciz "on, 6 * 7 = "
s_off:    .asciz "off, 6 * 7 = "
