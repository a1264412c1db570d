"""Generates docs/isa.md from the instruction table (`python -m virtquest.emu.isadoc > docs/isa.md`)."""

from __future__ import annotations

from virtquest.emu.isa import (
    INSTRUCTION_SIZE,
    MSR_KERNEL_ESP,
    ROWS,
    VECTOR_NAMES,
    IClass,
)

_CLASS_TITLES = {
    IClass.INNOCUOUS: "Innocuous — run directly at any ring, same result everywhere",
    IClass.PRIVILEGED: "Privileged — CPL 0 only; at CPL > 0 they raise #GP",
    IClass.SENSITIVE: "Sensitive but unprivileged — the x86 holes (no trap at CPL > 0)",
    IClass.VIRTUALIZATION: "Virtualization",
}

_PREAMBLE = f"""# The VQ32 instruction set

*Generated from `virtquest/emu/isa.py` by `make docs`; a test fails when this page is stale.*

VQ32 is a 32-bit, x86-flavoured machine. Registers `eax ecx edx ebx esp ebp esi edi` and `eip`;
EFLAGS bits as on x86 (CF 0, ZF 6, SF 7, IF 9, OF 11; bit 1 always reads 1). `cs`'s low two bits
are the current privilege level (CPL); its value is `8·(CPL+1) | CPL` (ring 0 → 0x08, ring 3 → 0x23).
Control registers `cr0` (bit 0 PE, bit 16 WP, bit 31 PG), `cr2`, `cr3`, `cr8`; `idtr`, `gdtr`;
MSRs through `rdmsr`/`wrmsr` (ecx = index; {MSR_KERNEL_ESP:#x} = the stack a trap into ring 0 starts
on; 0x10 = the cycle counter, read-only).

## Encoding

Every instruction is {INSTRUCTION_SIZE} bytes: opcode (the row number below), a byte with the first
register operand in its low nibble and the second in its high nibble, the memory operand's base
register (0xF for an absolute address), a zero byte, and a 32-bit little-endian immediate
(immediate value, displacement, branch target or port). Only this canonical form decodes; anything
else is `#UD`.

## Exceptions, interrupts and the trap frame

| vector | meaning |
|---|---|
""" + "".join(f"| {v} ({v:#x}) | {name} |\n" for v, name in sorted(VECTOR_NAMES.items())) + """
**IDT.** `lidt [m]` loads a dword *base* from `[m]` and a dword *limit* from `[m+4]`. Entry *v* is
8 bytes at `base + 8·v`: a dword handler address and a dword of flags (bit 0 present, bits 1–2
DPL, bits 3–4 the ring the handler runs in — 0 for an ordinary kernel; a paravirtualized guest's
trap table uses 1, so a system call reaches its ring-1 kernel without the hypervisor — and bit 5
set for a *trap gate*, whose delivery leaves IF alone; an *interrupt gate* clears it, as on
x86). `int n` raises #GP (error `8·n+2`) when the entry's DPL is below the caller's CPL; so does any
vector whose entry is missing or beyond the limit. A fault while delivering is delivered as that
fault; a second one is a **triple fault** and stops the machine. When `int n` itself cannot be
delivered (a DPL it may not use, a missing gate, a fault on the way), the fault's return eip is
the `int` instruction, as on x86.

**Frame.** On delivery, if the CPL is above the handler's ring the stack switches to MSR 0x175. The CPU pushes, in order:
old `esp`, `eflags`, `cs` (old CPL in its low bits), the return `eip` (the faulting instruction for
a fault; the next one for `int n` and interrupts) and an error code (always; 0 when there is
none). So at the handler's first instruction:

| address | value |
|---|---|
| `[esp]` | error code (#PF: bit 0 protection, bit 1 write, bit 2 user) |
| `[esp+4]` | return eip |
| `[esp+8]` | cs |
| `[esp+12]` | eflags |
| `[esp+16]` | old esp |

CPL becomes the handler's ring (0) and IF is cleared (unless the gate is a trap gate). `iret`
pops `eip`, `cs`, `eflags`, `esp` (remove the error code first with `add esp, 4`); the new CPL is
`cs & 3` and may not be more privileged than the current one (#GP, error `cs & 0xFFFC`). `iret` is
**not privileged**, as on x86: at CPL > 0 it returns to the same or an outer ring without
trapping, and, like `popf`, silently keeps IF as it was — one of the x86 holes.

**Paging.** With cr0.PG, two-level x86-32 paging: 4 KiB pages, page directory at cr3, entry bits
P(0) W(1) U(2) A(5) D(6). User accesses need U in both levels; writes need W (for supervisor
writes only when cr0.WP is set). #PF sets cr2 to the faulting address. A TLB (size from the cost
profile) caches translations; `invlpg` drops one entry and a cr3 load drops them all.

**Devices.** Port 0xE9 console (`out 0xE9, eax` prints the low byte); port 0x40 timer (period in
cycles of the guest's clock, 0 stops it; raises vector 32 while IF = 1 — the guest's clock counts
the native cost of the guest's instructions and idle time, leaving out page walks, device latency
and a hypervisor's own work, so a virtualized guest is interrupted at the same
points as on bare hardware, while `rdtsc` shows real cycles); ports 0x50–0x5F a network card
(port 0x50: writing P > 0 makes a packet arrive every P cycles of the guest's clock, each raising
vector 33, 0 stops them; 0x58 address, 0x59 length, 0x5A go: send a packet read from memory by
DMA; 0x5B status of the last send, 0 sent, 1 failed; 0x5C a checksum of every byte sent; 0x5F
bit 0 bus mastering, without which the card may not use DMA); ports 0x70–0x73 a disk of 256
slots of 4 KiB (0x70 a page-aligned physical address, 0x71 a slot, 0x72 a command: 1 writes the
page to the slot, 2 reads the slot into the page, both by DMA; 0x73 status, 0 done, 1 refused);
port 0x80 a slow legacy port; port 0xF4 power
off (the value written is the exit code). `hlt` waits for the next interrupt, and with IF = 0 or
nothing to wait for it stops the machine (a bare-metal program's exit code is then `eax`).

**Local APIC.** Interrupts pass through a local APIC programmed, as in x86's x2APIC mode, with
`wrmsr`: MSR 0x80F is the spurious-interrupt vector register (bit 8 turns the APIC on), MSR 0x80B
the EOI register (write only; `rdmsr` of it is #GP). While the APIC is off, each interrupt is
acknowledged as it is delivered. Once it is on, a delivered vector stays in service and nothing
else is delivered until the handler writes the EOI.

## Where VQ32 differs from x86

VQ32 keeps x86's privilege rules, flags, paging and trap frame where the lessons need them, and is
smaller elsewhere. These differences are VQ32's, never x86's, and the lessons do not teach them:

- Every instruction is 8 bytes (above), with at most one memory operand `[reg+disp]` or `[disp]`
  (no index register, no scale), 32-bit operands only (`movb` moves a byte to or from a register's
  low byte) and absolute branch targets.
- There are no segments beyond `cs` as the ring's selector (`8·(CPL+1) | CPL`), no task state
  segment (MSR 0x175 plays SYSENTER_ESP's part) and no I/O permission level (IOPL is 0: outside
  ring 0, `popf` and `iret` never change IF, and `in`/`out` are privileged).
- The trap frame always holds `esp` (x86 pushes `ss:esp` only on a change of ring) and an error
  code (x86 pushes one for some exceptions only).
- PF, AF and DF are not modelled. Where x86 leaves a flag undefined (SF and ZF after `imul` and
  `mul`, OF after a shift or rotate by more than one, every flag after `div` and `idiv`), VQ32
  sets it by the formula in its definition (or leaves it unchanged); programs should not rely on
  either.
- `sti` has no one-instruction interrupt shadow.
- The local APIC has only the SVR and EOI registers, keeps one vector in service at a time and
  delivers the earliest due interrupt first (x86's APIC has sixteen priority classes, nests a
  higher class over a lower one, and has a TPR, a timer and IPIs); the timer on port 0x40 and the
  network card on port 0x50 stand for a PC's PIT and a PCI device's MSI.

## Assembly source

The assembler (`virtquest/emu/asm.py`) reads one statement a line; `;` starts a comment (outside
quotes). A line may begin with labels (`name:`, several allowed, or a label alone); names are
letters, digits, `_`, `.` and `$`, not starting with a digit. Then a mnemonic and its operands,
separated by commas, in the forms listed below:

- a register (`eax` … `edi`), a control register (`cr0`, `cr2`, `cr3`, `cr8`), `cs`, or `cl`
  (the shift count);
- an immediate, a port or a branch target: any expression;
- a memory operand: `[reg]`, `[reg+expr]`, `[reg-expr]` or `[expr]` (an absolute address).

Expressions are integers (decimal, `0x` hex, `'c'` characters with `\\n \\t \\r \\0` escapes),
symbols, parentheses and, loosest first: comparisons `== != < > <= >=` (1 or 0), `|`, `^`, `&`,
`<< >>`, `+ -`, `* / %`, unary `- ~ +`. An instruction's operands may name labels defined later.

| directive | what it does |
|---|---|
| `.equ NAME, expr` | defines a constant; a define given from outside (`-D NAME=VALUE`, a level's `defines`) wins over it |
| `.word expr, …` / `.byte expr, …` | 32-bit little-endian words / bytes |
| `.ascii "text"` / `.asciz "text"` | a string's UTF-8 bytes (`.asciz`: and a zero byte); escapes `\\n \\t \\r \\0 \\\\ \\" \\'` and `\\xHH` |
| `.zero N` | N zero bytes |
| `.align N` | zero bytes up to a multiple of N (a power of two, at most 65536) |
| `.org ADDR` | zero bytes up to ADDR (never backwards) |
| `.if expr` … `.else` … `.endif` | assembles one branch (at most 64 nested): how a program offers a level's modified `GUEST_label` form and the mini-OS its `PV` build |
| `.include "NAME"` | assembles a file of the library shipped with the mini-OS (`assets/guest/lib`, [minios.md](minios.md#the-library)) where it stands: `console.s` prints from kernel mode, `print.s` from a user program. A file included again is skipped; at most 8 nested; an error inside names the file (`lib/NAME`) and its line |

A value the layout needs (`.equ`, `.if`, `.zero`, `.align`, `.org`) may use only symbols defined
above it. Every mistake is an error naming the file, the line and the column, and what was
expected there.

## Instructions

Each form's meaning is written once, as its *definition* beside its row in
`virtquest/emu/isa.py` (the language is described in `virtquest/emu/semantics.py`); the
interpreter and the compiled blocks are both made from it. `virtquest debug handlers FORM`
prints a definition and the code made from it.
"""


def render() -> str:
    parts = [_PREAMBLE]
    for iclass, title in _CLASS_TITLES.items():
        parts.append(f"\n### {title}\n\n| opcode | syntax | cost key | what it does | 하는 일 |\n"
                     "|---|---|---|---|---|\n")
        for row in ROWS:
            if row.iclass is iclass:
                parts.append(f"| {row.opcode:#04x} | `{row.syntax}` | `{row.cost_key}` | "
                             f"{row.summary_en} | {row.summary_ko} |\n")
    return "".join(parts)


if __name__ == "__main__":
    print(render(), end="")
