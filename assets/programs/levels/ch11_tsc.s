; ch11_tsc.s — a guest that times cpuid with rdtsc to find out whether it runs in a VM.
;
; cpuid is one of the instructions VT-x always makes exit. The program reads the time-stamp
; counter, runs cpuid PROBES times, reads it again, and calls what it measured a hypervisor
; when the probes took longer than LIMIT cycles (on bare metal they take about a tenth of it).
; Expected output: "8 cpuid: bare metal", exit code 0.

.equ PROBES, 8
.equ LIMIT, 4000

_start:
    mov esp, 0x80000
start_clock:
    rdtsc                       ; slot `start_clock`: the time before
    mov esi, eax
    mov edi, PROBES
probe:
    xor eax, eax
ask:
    cpuid                       ; slot `ask`: exits under VT-x whatever the choice
    dec edi
    jne probe
stop_clock:
    rdtsc                       ; slot `stop_clock`: the time after
    sub eax, esi                ; the cycles the probes took, as the guest sees them
    mov ebx, eax
    mov eax, PROBES
    call print_dec
    mov esi, s_cpuid
    call puts
    cmp ebx, LIMIT
    ja detected
    mov esi, s_bare
    call puts
    jmp done
detected:
    mov esi, s_vm
    call puts
done:
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
.include "console.s"

.align 4096
s_cpuid: .asciz " cpuid: "
s_bare:  .asciz "bare metal"
s_vm:    .asciz "a hypervisor is here"
