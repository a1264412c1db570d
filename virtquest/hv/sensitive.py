"""Watching the x86 holes: sensitive-but-unprivileged instructions run directly under a software
VMM (they never trap), so the guest sees real state instead of its virtual state. The watch runs
each one exactly as the hardware does and only records *where* and *how* (a Message) the answer
differed from what the guest believes; it never changes what the instruction does."""

from __future__ import annotations

from virtquest.emu.encoding import Instruction
from virtquest.emu.isa import IF, INSTRUCTION_SIZE, M32, cs_selector
from virtquest.emu.messages import message

MAX_RECORDS = 50
_FLAGS_IN_FRAME = 8          # iret's frame: eip, cs, eflags, esp


def watch(vmm, ins: Instruction) -> None:
    """Run a sensitive instruction as the hardware does (eip already past it) and note where it
    showed the guest real state."""
    cpu = vmm.cpu
    at = (cpu.eip - INSTRUCTION_SIZE) & M32
    before = {"esp": cpu.regs[4], "vif": vmm.vif, "cpl": cpu.cpl}
    cpu.execute(ins)
    check = CHECKS.get(ins.row.mnemonic)
    note = check(vmm, ins, before) if check is not None else None
    if note and len(vmm.machine.divergences) < MAX_RECORDS:
        vmm.machine.divergences.append({"eip": at, "instruction": ins.text(), "how": note})


def _pushf(vmm, ins, before):
    real = bool(vmm.cpu.eflags & IF)
    if real != before["vif"]:
        return message("hole.pushf", real=int(real), virtual=int(before["vif"]))
    return None


def _popf(vmm, ins, before):
    wanted = bool(vmm.cpu.read32_sup(before["esp"]) & IF)
    if vmm.vcpu.cpl == 0 and wanted != vmm.vif:
        return message("hole.popf", wanted=int(wanted), ring=before["cpl"])
    return None


def _iret(vmm, ins, before):
    wanted = bool(vmm.cpu.read32_sup((before["esp"] + _FLAGS_IN_FRAME) & M32) & IF)
    if before["cpl"] > 0 and wanted != vmm.vif:
        return message("hole.iret", wanted=int(wanted), ring=before["cpl"])
    return None


def _table(name):
    def check(vmm, ins, before):
        real = getattr(vmm.cpu, name)
        virtual = getattr(vmm.vcpu, name)
        if real != virtual:
            return message("hole.table", instruction=ins.row.mnemonic, table=name.upper(),
                           real=real[0], virtual=virtual[0])
        return None
    return check


def _smsw(vmm, ins, before):
    real, virtual = vmm.cpu.cr0 & 0xFFFF, vmm.vcpu.cr0 & 0xFFFF
    if real != virtual:
        return message("hole.smsw", real=real, virtual=virtual)
    return None


def _mov(vmm, ins, before):
    real, virtual = cs_selector(before["cpl"]), cs_selector(vmm.vcpu.cpl)
    if real != virtual:
        return message("hole.cs", real=real, real_cpl=before["cpl"], virtual=virtual,
                       virtual_cpl=vmm.vcpu.cpl)
    return None


CHECKS = {"iret": _iret, "pushf": _pushf, "popf": _popf, "sgdt": _table("gdtr"),
          "sidt": _table("idtr"), "smsw": _smsw, "mov": _mov}
