"""Watching the x86 holes: sensitive-but-unprivileged instructions run directly under a software
VMM (they never trap), so the guest sees real state instead of its virtual state. The watch only
records *where* and *how* the answer differed; it never changes what the hardware does."""

from __future__ import annotations

from virtquest.emu.isa import IF, INSTRUCTION_SIZE, ROWS, IClass, cs_selector

MAX_RECORDS = 50


def wrap_sensitive_handlers(vmm) -> None:
    cpu = vmm.cpu
    for row in ROWS:
        if row.iclass is IClass.SENSITIVE:
            cpu.handlers[row.opcode] = _watched(vmm, row, cpu.handlers[row.opcode])
    cpu.forget_decoded()


def _watched(vmm, row, original):
    check = _CHECKS[row.mnemonic]

    def handler(ins):
        before = _snapshot(vmm)
        original(ins)
        note = check(vmm, ins, before)
        if note and len(vmm.machine.divergences) < MAX_RECORDS:
            vmm.machine.divergences.append({
                "eip": (vmm.cpu.eip - INSTRUCTION_SIZE) & 0xFFFFFFFF,
                "instruction": ins.text(), "how": note})
    return handler


def _snapshot(vmm):
    return {"esp": vmm.cpu.regs[4], "vif": vmm.vif}


def _pushf(vmm, ins, before):
    real = bool(vmm.cpu.eflags & IF)
    if real != before["vif"]:
        return (f"pushf showed IF={int(real)}, the real flag, but the guest had set its "
                f"virtual IF to {int(before['vif'])}")
    return None


def _popf(vmm, ins, before):
    popped = vmm.cpu.read32_sup(before["esp"])
    wanted = bool(popped & IF)
    if vmm.vcpu.cpl == 0 and wanted != vmm.vif:
        return (f"popf tried to set IF={int(wanted)} but ran at ring {vmm.cpu.cpl}, where the "
                "CPU silently ignores a change of IF: the guest's interrupt state did not change")
    return None


def _table(name):
    def check(vmm, ins, before):
        real = getattr(vmm.cpu, name)
        virtual = getattr(vmm.vcpu, name)
        if real != virtual:
            return (f"{ins.row.mnemonic} stored the real {name.upper()} (base {real[0]:#x}) "
                    f"instead of the guest's (base {virtual[0]:#x}): the VMM is visible")
        return None
    return check


def _smsw(vmm, ins, before):
    real, virtual = vmm.cpu.cr0 & 0xFFFF, vmm.vcpu.cr0 & 0xFFFF
    if real != virtual:
        return f"smsw read the real cr0 ({real:#x}) instead of the guest's ({virtual:#x})"
    return None


def _mov(vmm, ins, before):
    real, virtual = cs_selector(vmm.cpu.cpl), cs_selector(vmm.vcpu.cpl)
    if real != virtual:
        return (f"mov r, cs read {real:#x} (CPL {vmm.cpu.cpl}) although the guest kernel "
                f"believes it runs at CPL {vmm.vcpu.cpl} ({virtual:#x})")
    return None


_CHECKS = {"pushf": _pushf, "popf": _popf, "sgdt": _table("gdtr"), "sidt": _table("idtr"),
           "smsw": _smsw, "mov": _mov}
