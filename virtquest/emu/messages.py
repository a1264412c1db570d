"""What the core tells a user — why a run stopped, where a guest saw through a VMM, what broke
containment, what the assembler found wrong — as an id with parameters.

The English text of every id is in `EN`, the one English catalogue; the GUI keeps the Korean one
(virtquest/gui/messages_ko.py) under the same ids and fills in the same parameters, so no front end
ever has to read English to know what was said. A test checks that both catalogues have the same
ids and the same placeholders.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# id -> English template; placeholders are str.format fields with names ({cycles:,}, {port:#x}).
EN: dict[str, str] = {
    # the assembler and its expressions
    "asm.nul-byte": "expected text, found a NUL byte",
    "asm.program-too-big": "expected the program to stay within {mib} MiB of its origin",
    "asm.unknown-statement": "expected an instruction or directive, found '{word}'",
    "asm.symbol-redefined": "symbol '{name}' is already defined",
    "asm.empty-operand": "expected an operand before ','",
    "asm.unclosed-quote": "expected a closing {quote}",
    "asm.unclosed-bracket": "expected ']' or ')' to close what was opened",
    "asm.if-too-deep": "expected at most {limit} nested .if",
    "asm.if-without-condition": "expected an expression after .if",
    "asm.if-unmatched": "{directive} without a matching .if",
    "asm.if-second-else": "expected .endif, found a second .else",
    "asm.if-unclosed": "expected .endif to close this .if",
    "asm.unknown-directive": "expected a directive (.equ .word .byte .ascii .asciz .zero .align "
                             ".org .if .else .endif .include), found '{directive}'",
    "asm.include-syntax": 'expected .include "NAME", NAME a file of the library',
    "asm.include-unknown": "expected a file of the library ({names}), found '{name}'",
    "asm.include-cycle": "expected files that do not include each other in a circle: {cycle}",
    "asm.include-too-deep": "expected at most {limit} nested .include",
    "asm.equ-syntax": "expected .equ NAME, expression",
    "asm.data-without-values": "expected at least one value after {directive}",
    "asm.string-expected": 'expected one "string" after {directive}',
    "asm.string-unquoted": 'expected a "quoted string"',
    "asm.string-bad-escape": "expected an escape (\\n \\t \\0 \\\\ \\\" \\xHH), found \\{escape}",
    "asm.one-value-expected": "expected one value after {directive}",
    "asm.zero-size-out-of-range": "expected a size between 0 and {limit}",
    "asm.align-not-power-of-two": "expected a power of two for .align",
    "asm.org-backwards": "expected .org at or after {current:#x}, not {target:#x}",
    "asm.org-too-far": "expected an address within {mib} MiB of the origin",
    "asm.value-too-wide": "expected a value that fits in {bits} bits, got {value}",
    "asm.operands-mismatch": "expected {forms}; found {mnemonic} {operands}",
    "asm.operands-missing": "expected {forms}; found {mnemonic} no operands",
    "asm.control-register": "expected a control register: cr0, cr2, cr3 or cr8",
    "asm.memory-unclosed": "expected ']' to close the memory operand",
    "asm.displacement-missing": "expected a displacement after the sign",
    "asm.memory-empty": "expected a register or an address inside [ ]",
    "asm.define-syntax": "expected NAME=VALUE, found '{text}'",
    "expr.unexpected-character": "expected a number, a symbol or an operator, found '{char}'",
    "expr.too-complex": "expected a shorter expression (at most {tokens} tokens and {levels} "
                        "levels of parentheses)",
    "expr.trailing-token": "expected an operator or the end, found '{token}'",
    "expr.missing-operand": "expected a number or a symbol",
    "expr.unexpected-token": "expected a number or a symbol, found '{token}'",
    "expr.unclosed-parenthesis": "expected ')'",
    "expr.number-too-wide": "expected a number that fits in 64 bits",
    "expr.character-bad-escape": "expected a character escape, found '{escape}'",
    "expr.character-too-wide": "expected a one-byte character",
    "expr.undefined-symbol": "expected a defined symbol, '{name}' is not defined",
    "expr.division-by-zero": "expected a non-zero divisor",
    "expr.shift-out-of-range": "expected a shift count between 0 and 63",
    "expr.value-too-wide": "expected a value that fits in 64 bits",
    # how a run ended (the machine, the hypervisors)
    "run.powered-off": "the guest powered off with exit code {code}",
    "run.budget": "stopped after {cycles:,} cycles: the guest did not finish within its budget "
                  "of {budget:,} cycles (an endless loop?)",
    "run.cancelled": "the run was cancelled",
    "run.still-running": "the guest is still running",
    "run.cpu-halted": "the CPU halted with interrupts disabled or no timer running, so nothing "
                      "can wake it",
    "run.guest-halted": "the guest halted with interrupts disabled or no timer running, so "
                        "nothing can wake it",
    "run.guest-blocked": "the guest blocked with interrupts disabled or no timer running, so "
                         "nothing can wake it",
    "run.triple-fault": "triple fault while delivering vector {vector}: the IDT or the kernel "
                        "stack is unusable",
    "run.guest-triple-fault": "the guest's IDT could not deliver vector {vector} (a triple "
                              "fault in the virtual machine)",
    # where a sensitive instruction showed the guest real state (an x86 hole)
    "hole.pushf": "pushf showed IF={real}, the real flag, but the guest had set its virtual IF "
                  "to {virtual}",
    "hole.popf": "popf tried to set IF={wanted} but ran at ring {ring}, where the CPU silently "
                 "ignores a change of IF: the guest's interrupt state did not change",
    "hole.iret": "iret tried to set IF={wanted} but ran at ring {ring}, where the CPU silently "
                 "ignores a change of IF: the guest's interrupt state did not change",
    "hole.table": "{instruction} stored the real {table} (base {real:#x}) instead of the "
                  "guest's (base {virtual:#x}): the VMM is visible",
    "hole.smsw": "smsw read the real cr0 ({real:#x}) instead of the guest's ({virtual:#x})",
    "hole.cs": "mov r, cs read {real:#x} (CPL {real_cpl}) although the guest kernel believes it "
               "runs at CPL {virtual_cpl} ({virtual:#x})",
    # what broke containment, and what a hypervisor refused
    "containment.real-device": "{instruction}: the guest drove the real device on port "
                               "{port:#x} directly",
    "containment.real-apic": "{instruction}: the guest wrote MSR {msr:#x} of the real local "
                             "APIC directly (no APIC virtualization)",
    "containment.dma-host-memory": "the network card, assigned to the guest with no IOMMU, "
                                   "read {length} bytes of host memory at {address:#x} by DMA",
    "refusal.dma-fault": "the IOMMU refused a DMA to guest-physical {address:#x}: no mapping "
                         "(a DMA remapping fault, reported)",
    "refusal.net-ring": "net_setup: the ring at {address:#x} is not a page of the guest's RAM",
    "refusal.grant-frame": "grant_access: {address:#x} is not a page of the guest's RAM",
    "refusal.balloon-frame": "balloon_release: {address:#x} is not a page of the guest's RAM",
    "refusal.no-balloon": "balloon_release: no host memory manager runs beneath this guest to "
                          "take the page back",
    "host.out-of-memory": "the host ran out of memory: guest {guest} needed a frame for its "
                          "page {page:#x}, all {frames} host frames were in use and nothing "
                          "reclaims memory",
    "host.migration-stuck": "live migration did not converge: after {rounds} rounds the guest "
                            "still dirtied {pages} pages per round, so the migrator stopped it "
                            "and copied them during the downtime",
    "refusal.not-granted": "the network back end refused a packet at {address:#x}: its page "
                           "was not granted",
    "refusal.outside-ram": "guest-physical {address:#x} is outside the guest's RAM",
    "refusal.trap-table-wraps": "set_trap_table: trap table at {base:#x} wraps past 4 GiB",
    "refusal.trap-table-unmapped": "set_trap_table: trap table at {base:#x}: {page:#x} is not "
                                   "mapped",
    "refusal.trap-table-foreign": "set_trap_table: trap table at {base:#x} is not the guest's "
                                  "(outside its RAM)",
    "refusal.batch-too-big": "mmu_update: {count} updates in one call (at most {limit})",
    "refusal.pte-address": "mmu_update: page-table entry address {address:#x} is not the "
                           "guest's",
    "refusal.foreign-frame": "mmu_update: mapping frame {frame:#x}, which the guest does not "
                             "own, was refused",
    "refusal.page-directory": "new_baseptr: page directory {address:#x} is not the guest's",
    "refusal.shared-info": "shared_info: address {address:#x} is not the guest's",
    "refusal.iret-inward": "iret: iret to a more privileged ring",
    # the timeline: what each traced event was
    "trace.trap": "the guest trapped to the hypervisor on vector {vector}",
    "trace.reflect": "the hypervisor reflected vector {vector} into the guest's IDT",
    "trace.emulate": "the hypervisor emulated {instruction}",
    "trace.translate": "{count} instructions translated at {address:#x}",
    "trace.inline": "the translated code emulated {instruction} inline",
    "trace.callout": "the translated code called out to the hypervisor for {instruction}",
    "trace.hidden_fault": "a hidden page fault: the hypervisor filled the shadow page table",
    "trace.hypercall": "the guest kernel made the hypercall {name}",
    "trace.vm_exit": "VM exit, reason: {reason}",
    "trace.vm_entry": "VM entry back into the guest after the {reason} exit",
    "trace.exception": "exception on vector {vector}, delivered to the guest's handler",
    "trace.interrupt": "interrupt on vector {vector}, delivered to the guest's handler",
    "trace.resume": "the hypervisor returned to the guest",
    "trace.exit_handler": "the hypervisor handled the {reason} exit",
}


def placeholders(template: str) -> frozenset[str]:
    """The parameter names a template fills in."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


@dataclass(frozen=True)
class Message:
    """One thing the core says: an id from the catalogue and the values it fills in."""

    id: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        template = EN.get(self.id)
        if template is None:
            raise KeyError(f"no message '{self.id}' in the catalogue")
        missing = placeholders(template) - set(self.params)
        if missing:
            raise KeyError(f"message '{self.id}' needs {', '.join(sorted(missing))}")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def text(self, catalogue: Mapping[str, str] | None = None) -> str:
        """The message in English, or from another catalogue with the same ids."""
        template = (catalogue or EN).get(self.id, EN[self.id])
        return template.format(**self.params)

    def __str__(self) -> str:
        return self.text()

    def to_json(self) -> dict:
        return {"id": self.id, "params": dict(self.params), "text": self.text()}


def message(id: str, **params: object) -> Message:  # noqa: A002 - the catalogue's word
    return Message(id, params)
