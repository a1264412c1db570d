"""The semantics of every VQ32 instruction form, one handler per row of the instruction table.

CPU mixes this in; a handler gets the decoded instruction and acts on the CPU's state. Faults are
raised as CpuFault (or PageFault from a memory access) and delivered by the CPU.
"""

from __future__ import annotations

from virtquest.emu.encoding import Instruction
from virtquest.emu.faults import CpuFault, MachineStop
from virtquest.emu.isa import (
    CF,
    FLAGS_ALWAYS_ONE,
    FLAGS_WRITABLE,
    IF,
    MSR_TSC,
    OF,
    SF,
    VEC_DE,
    VEC_GP,
    VEC_UD,
    ZF,
    cs_selector,
)

M32 = 0xFFFFFFFF
SIGN = 0x80000000
ARITH = CF | ZF | SF | OF
CR0_PE, CR0_WP, CR0_PG = 1, 1 << 16, 1 << 31
WRITABLE_MSRS = frozenset({0x174, 0x175, 0x176})


class InstructionSet:
    """The `_op_<mnemonic>_<form>` handlers (mixed into CPU)."""

    # -- flags -----------------------------------------------------------------------------
    def _flags(self, result: int, cf: bool, of: bool) -> None:
        self.eflags = (self.eflags & ~ARITH) | (CF if cf else 0) | (OF if of else 0) | (
            ZF if result == 0 else 0) | (SF if result & SIGN else 0)

    def _src(self, ins: Instruction) -> int:
        form = ins.row.operands
        if len(form) == 2 and form[1].value == "imm":
            return ins.imm
        if len(form) == 2 and form[1].value == "m":
            return self.read32(self.ea(ins))
        return self.regs[ins.b]

    # -- innocuous instructions ------------------------------------------------------------
    def _op_mov_rr(self, i):
        self.regs[i.a] = self.regs[i.b]

    def _op_mov_ri(self, i):
        self.regs[i.a] = i.imm

    def _op_mov_rm(self, i):
        self.regs[i.a] = self.read32(self.ea(i))

    def _op_mov_mr(self, i):
        self.write32(self.ea(i), self.regs[i.a])

    def _op_movb_rm(self, i):
        self.regs[i.a] = self.read8_current(self.ea(i))

    def _op_movb_mr(self, i):
        self.write8_current(self.ea(i), self.regs[i.a])

    def _add(self, i, store=True):
        a, b = self.regs[i.a], self._src(i)
        full = a + b
        r = full & M32
        self._flags(r, full > M32, bool((a ^ r) & (b ^ r) & SIGN))
        if store:
            self.regs[i.a] = r

    def _sub(self, i, store=True):
        a, b = self.regs[i.a], self._src(i)
        r = (a - b) & M32
        self._flags(r, a < b, bool((a ^ b) & (a ^ r) & SIGN))
        if store:
            self.regs[i.a] = r

    def _logic(self, i, fn, store=True):
        r = fn(self.regs[i.a], self._src(i)) & M32
        self._flags(r, False, False)
        if store:
            self.regs[i.a] = r

    _op_add_rr = _op_add_ri = _op_add_rm = _add
    _op_sub_rr = _op_sub_ri = _op_sub_rm = _sub

    def _op_cmp_rr(self, i):
        self._sub(i, store=False)

    _op_cmp_ri = _op_cmp_rm = _op_cmp_rr

    def _op_and_rr(self, i):
        self._logic(i, int.__and__)

    def _op_or_rr(self, i):
        self._logic(i, int.__or__)

    def _op_xor_rr(self, i):
        self._logic(i, int.__xor__)

    def _op_test_rr(self, i):
        self._logic(i, int.__and__, store=False)

    _op_and_ri = _op_and_rm = _op_and_rr
    _op_or_ri = _op_or_rm = _op_or_rr
    _op_xor_ri = _op_xor_rm = _op_xor_rr
    _op_test_ri = _op_test_rm = _op_test_rr

    def _op_imul_rr(self, i):
        a, b = _signed(self.regs[i.a]), _signed(self._src(i))
        product = a * b
        r = product & M32
        overflow = product != _signed(r)
        self._flags(r, overflow, overflow)
        self.regs[i.a] = r

    _op_imul_ri = _op_imul_rr

    def _op_div_r(self, i):
        divisor = self.regs[i.a]
        if divisor == 0:
            raise CpuFault(VEC_DE)
        dividend = self.regs[0]
        self.regs[0], self.regs[2] = dividend // divisor, dividend % divisor

    def _op_inc_r(self, i):
        v = self.regs[i.a]
        r = (v + 1) & M32
        self._flags(r, bool(self.eflags & CF), v == 0x7FFFFFFF)
        self.regs[i.a] = r

    def _op_dec_r(self, i):
        v = self.regs[i.a]
        r = (v - 1) & M32
        self._flags(r, bool(self.eflags & CF), v == SIGN)
        self.regs[i.a] = r

    def _op_neg_r(self, i):
        v = self.regs[i.a]
        r = -v & M32
        self._flags(r, v != 0, v == SIGN)
        self.regs[i.a] = r

    def _op_not_r(self, i):
        self.regs[i.a] = ~self.regs[i.a] & M32

    def _op_shl_ri(self, i):
        n, v = i.imm & 31, self.regs[i.a]
        if n:
            r = (v << n) & M32
            self._flags(r, bool((v >> (32 - n)) & 1), bool((r ^ (v << (n - 1))) & SIGN))
            self.regs[i.a] = r

    def _op_shr_ri(self, i):
        n, v = i.imm & 31, self.regs[i.a]
        if n:
            r = v >> n
            self._flags(r, bool((v >> (n - 1)) & 1), bool(v & SIGN) and n == 1)
            self.regs[i.a] = r

    def _op_push_r(self, i):
        self.push(self.regs[i.a])

    def _op_push_i(self, i):
        self.push(i.imm)

    def _op_pop_r(self, i):
        value = self.pop()
        self.regs[i.a] = value

    def _op_jmp_l(self, i):
        self.eip = i.imm

    def _op_jmp_r(self, i):
        self.eip = self.regs[i.a]

    def _op_call_l(self, i):
        self.push(self.eip)
        self.eip = i.imm

    def _op_call_r(self, i):
        target = self.regs[i.a]
        self.push(self.eip)
        self.eip = target

    def _op_ret_(self, i):
        self.eip = self.pop()

    def _jcc(self, i, taken: bool):
        if taken:
            self.eip = i.imm

    def _op_je_l(self, i):
        self._jcc(i, bool(self.eflags & ZF))

    _op_jz_l = _op_je_l

    def _op_jne_l(self, i):
        self._jcc(i, not self.eflags & ZF)

    _op_jnz_l = _op_jne_l

    def _less(self) -> bool:
        return bool(self.eflags & SF) != bool(self.eflags & OF)

    def _op_jl_l(self, i):
        self._jcc(i, self._less())

    def _op_jle_l(self, i):
        self._jcc(i, self._less() or bool(self.eflags & ZF))

    def _op_jg_l(self, i):
        self._jcc(i, not self._less() and not self.eflags & ZF)

    def _op_jge_l(self, i):
        self._jcc(i, not self._less())

    def _op_jb_l(self, i):
        self._jcc(i, bool(self.eflags & CF))

    def _op_jae_l(self, i):
        self._jcc(i, not self.eflags & CF)

    def _op_loop_l(self, i):
        self.regs[1] = (self.regs[1] - 1) & M32
        self._jcc(i, self.regs[1] != 0)

    def _op_nop_(self, i):
        pass

    def _op_int_i(self, i):
        self.exception(i.imm & 0xFF, 0, self.eip, software=True)

    # -- privileged instructions -----------------------------------------------------------
    def _op_cli_(self, i):
        self.eflags &= ~IF

    def _op_sti_(self, i):
        self.eflags |= IF

    def _op_hlt_(self, i):
        if not self.eflags & IF or self.timer.next_fire < 0:
            raise MachineStop("halted", "the CPU halted with interrupts disabled or no timer "
                                        "running, so nothing can wake it")
        if self.timer.next_fire > self.guest_clock:
            self.charge("idle", self.timer.next_fire - self.guest_clock)

    def _op_in_ri(self, i):
        self.regs[i.a] = self.port_in(i.imm & 0xFFFF)

    def _op_out_ir(self, i):
        self.port_out(i.imm & 0xFFFF, self.regs[i.a])

    def port_in(self, port: int) -> int:
        self._port_cost(port)
        return self.io.read(port)

    def port_out(self, port: int, value: int) -> None:
        self._port_cost(port)
        self.timer.now = self.cycles - self.hidden
        self.io.write(port, value)

    def _port_cost(self, port: int) -> None:
        self.events["port_io"] += 1
        self.charge("device", self.profile[self.io.device(port).cost_key])

    def _op_mov_cr(self, i):
        self.write_cr(i.a, self.regs[i.b])

    def _op_mov_rc(self, i):
        self.regs[i.a] = self.read_cr(i.b)

    def write_cr(self, n: int, value: int) -> None:
        value &= M32
        if n == 0:
            if value & CR0_PG and not value & CR0_PE:
                raise CpuFault(VEC_GP)
            self.cr0 = value
            self.mmu.enabled = bool(value & CR0_PG)
            self.mmu.write_protect = bool(value & CR0_WP)
            self.mmu.flush()
        elif n == 2:
            self.cr2 = value
        elif n == 3:
            self.cr3 = value
            self.mmu.root = value
            self.mmu.flush()
        else:
            self.cr8 = value & 0xF

    def read_cr(self, n: int) -> int:
        return {0: self.cr0, 2: self.cr2, 3: self.cr3, 8: self.cr8}[n]

    def _op_lidt_m(self, i):
        ea = self.ea(i)
        self.idtr = (self.read32(ea), self.read32(ea + 4))

    def _op_lgdt_m(self, i):
        ea = self.ea(i)
        self.gdtr = (self.read32(ea), self.read32(ea + 4))

    def _op_invlpg_m(self, i):
        self.mmu.invlpg(self.ea(i))

    def _op_iret_(self, i):
        esp = self.regs[4]
        eip, cs, flags, new_esp = (self.read32((esp + 4 * k) & M32) for k in range(4))
        cpl = cs & 3
        if cpl < self.cpl:
            raise CpuFault(VEC_GP, cs)
        self.eip, self.cpl, self.regs[4] = eip, cpl, new_esp
        self.eflags = (flags & FLAGS_WRITABLE) | FLAGS_ALWAYS_ONE
        self.block_start = True

    def _op_rdmsr_(self, i):
        index = self.regs[1]
        if index == MSR_TSC:
            value = self.cycles
        elif index in self.msrs:
            value = self.msrs[index]
        else:
            raise CpuFault(VEC_GP)
        self.regs[0], self.regs[2] = value & M32, (value >> 32) & M32

    def _op_wrmsr_(self, i):
        index = self.regs[1]
        if index not in WRITABLE_MSRS:
            raise CpuFault(VEC_GP)
        self.msrs[index] = self.regs[0] | (self.regs[2] << 32)

    # -- sensitive but unprivileged --------------------------------------------------------
    def _op_pushf_(self, i):
        self.push(self.eflags | FLAGS_ALWAYS_ONE)

    def _op_popf_(self, i):
        value = self.pop()
        writable = FLAGS_WRITABLE if self.cpl == 0 else FLAGS_WRITABLE & ~IF
        self.eflags = (self.eflags & ~writable) | (value & writable) | FLAGS_ALWAYS_ONE

    def _store_table(self, i, table):
        ea = self.ea(i)
        self.write32(ea, table[0])
        self.write32(ea + 4, table[1])

    def _op_sgdt_m(self, i):
        self._store_table(i, self.gdtr)

    def _op_sidt_m(self, i):
        self._store_table(i, self.idtr)

    def _op_smsw_r(self, i):
        self.regs[i.a] = self.cr0 & 0xFFFF

    def _op_mov_rs(self, i):
        self.regs[i.a] = cs_selector(self.cpl)

    # -- virtualization --------------------------------------------------------------------
    def _op_cpuid_(self, i):
        leaf = self.regs[0]
        if leaf == 0:
            out = (1, _word("VQ32"), _word("VQ32"), _word("Virt"))  # eax ebx ecx edx
        elif leaf == 1:
            out = (0x0632, 0, (1 << 31) if self.hypervisor_present else 0, 0x10 | 0x20)
        else:
            out = (0, 0, 0, 0)
        self.regs[0], self.regs[3], self.regs[1], self.regs[2] = out

    def _op_rdtsc_(self, i):
        self.regs[0], self.regs[2] = self.cycles & M32, (self.cycles >> 32) & M32

    def _op_vmcall_(self, i):
        raise CpuFault(VEC_UD)  # no hypervisor accepts it; a VMM replaces this handler

def _signed(v: int) -> int:
    return v - (1 << 32) if v & SIGN else v


def _word(text: str) -> int:
    return int.from_bytes(text.encode("ascii"), "little")
