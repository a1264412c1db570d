"""The VQ32 CPU: registers, flags, rings, exceptions through the IDT, and one handler per table row.

Seams for a hypervisor (all mode-agnostic; native mode uses none of them):
- `exception_hook(cpu, vector, error, return_eip, software) -> bool` sees every exception and
  interrupt before the IDT does; True means it handled it (a VMM's trap entry).
- `handlers[opcode]` can be replaced for any instruction form (VM-exit controls, vmcall).
- `exec_hooks[vaddr](cpu) -> bool` runs before the instruction at that address (per-site choices).
- `block_hook(cpu, eip)` runs at the start of every basic block (binary translation).
- `mmu.root` / `mmu.second_stage` (shadow and nested paging); `io` is the bus the CPU reaches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from virtquest.emu.costs import CATEGORIES, CostProfile
from virtquest.emu.devices import IOBus, Timer
from virtquest.emu.encoding import Instruction, decode
from virtquest.emu.isa import (
    BLOCK_ENDERS,
    CF,
    FLAGS_ALWAYS_ONE,
    FLAGS_WRITABLE,
    IF,
    INSTRUCTION_SIZE,
    MSR_KERNEL_ESP,
    MSR_TSC,
    NO_BASE,
    OF,
    ROWS,
    SF,
    VEC_DE,
    VEC_GP,
    VEC_PF,
    VEC_TIMER,
    VEC_UD,
    VECTOR_NAMES,
    ZF,
    IClass,
    cs_selector,
)
from virtquest.emu.memory import PAGE_MASK, BusError, PhysicalMemory
from virtquest.emu.mmu import MMU, PageFault

M32 = 0xFFFFFFFF
SIGN = 0x80000000
ARITH = CF | ZF | SF | OF
CR0_PE, CR0_WP, CR0_PG = 1, 1 << 16, 1 << 31
HIDDEN_FROM_GUEST = frozenset({"trap", "emulation", "translation", "hypercall", "page_walk",
                               "device"})
WRITABLE_MSRS = frozenset({0x174, MSR_KERNEL_ESP, 0x176})


class CpuFault(Exception):
    """An exception raised by an instruction (a fault: eip stays on the instruction)."""

    def __init__(self, vector: int, error: int = 0):
        super().__init__(f"vector {vector} error {error:#x}")
        self.vector, self.error = vector, error


class _GateDenied(Exception):
    def __init__(self, error: int):
        self.error = error


class MachineStop(Exception):
    """The machine cannot go on: halted with interrupts off, or a triple fault."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason, self.message = reason, message


_FORM_LETTER = {"r": "r", "imm": "i", "m": "m", "cr": "c", "cs": "s", "label": "l"}


def _form(row) -> str:
    """Handler-name suffix of a row: `mov r, cs` → "rs", `mov crN, r` → "cr"."""
    return "".join(_FORM_LETTER[o.value] for o in row.operands)


class CPU:
    """One VQ32 processor attached to memory, an MMU and an I/O bus."""

    def __init__(self, memory: PhysicalMemory, mmu: MMU, io: IOBus, timer: Timer,
                 profile: CostProfile):
        self.mem, self.mmu, self.io, self.timer = memory, mmu, io, timer
        self.regs = [0] * 8
        self.eip = 0
        self.eflags = FLAGS_ALWAYS_ONE
        self.cpl = 0
        self.cr0 = self.cr2 = self.cr3 = self.cr8 = 0
        self.idtr = (0, 0)
        self.gdtr = (0, 0)
        self.msrs: dict[int, int] = {MSR_KERNEL_ESP: 0, 0x174: 0, 0x176: 0}
        self.cycles = 0
        self.hidden = 0   # cycles the guest's own clock does not see (see guest_clock)
        self.instructions = 0
        self.charged = dict.fromkeys(CATEGORIES[1:], 0)   # every category but "guest"
        self.events: Counter[str] = Counter()
        self.hypervisor_present = False
        self.exception_hook: Callable[..., bool] | None = None
        self.exec_hooks: dict[int, Callable[[CPU], bool]] = {}
        self.block_hook: Callable[[CPU, int], None] | None = None
        self.irq_gate: Callable[[], bool] | None = None   # a VMM's virtual interrupt flag
        self.trace: list[tuple[int, int, str, str]] | None = None   # (cycle, eip, kind, text)
        self.trace_limit = 20000
        self.block_start = True
        self.block_hook_rings = frozenset({0, 1, 2, 3})   # rings whose blocks the hook wants
        self._fastpath = None
        self.gate_rings = True     # honour an IDT entry's ring bits (hardware assist: ring 0)
        self._fp = self._fi = 0
        self.code_listeners: list[Callable[[int], None]] = []  # told when a code page is written
        self.decoded: dict[int, tuple[Callable, Instruction]] = {}
        self._decoded_pages: dict[int, list[int]] = {}
        memory.on_code_write = self._forget_page
        mmu.on_walk = self._charge_walk
        self.handlers: list[Callable[[Instruction], None]] = [
            getattr(self, f"_op_{row.mnemonic}_{_form(row)}") for row in ROWS]
        self.privileged = [row.iclass is IClass.PRIVILEGED for row in ROWS]
        self.ends_block = [row.mnemonic in BLOCK_ENDERS for row in ROWS]
        self.set_profile(profile)

    # -- configuration ---------------------------------------------------------------------
    def set_profile(self, profile: CostProfile) -> None:
        self.profile = profile
        self.cost = [profile[row.cost_key] for row in ROWS]

    def charge(self, category: str, cycles: int) -> None:
        """Cycles spent outside guest-direct execution (the breakdown's other categories)."""
        self.cycles += cycles
        self.charged[category] += cycles
        if category in HIDDEN_FROM_GUEST:
            self.hidden += cycles

    @property
    def guest_clock(self) -> int:
        """The guest's virtual time, which drives its timer: the native cost of what the guest
        executed, plus idle time — not page walks, device latency or a hypervisor's own work.
        So a virtualized guest is interrupted at exactly the same points of its execution as on
        bare hardware, and its output can be compared with native; rdtsc still shows the real
        cycle count (timing is one way to notice a VMM)."""
        return self.cycles - self.hidden

    def emulated(self, native_cycles: int) -> None:
        """Something the guest believes took `native_cycles` happened without the hardware doing
        it (a VMM emulated it): the guest's clock advances as if it had, the real cycles do not."""
        self.hidden -= native_cycles

    def note(self, kind: str, text: str = "") -> None:
        """Record an event for the timeline (traps, exits, hypercalls, …) when tracing is on."""
        if self.trace is not None and len(self.trace) < self.trace_limit:
            self.trace.append((self.cycles, self.eip, kind, text))

    def _charge_walk(self, refs: int) -> None:
        self.charge("page_walk", refs * self.profile["page_walk_ref"])

    def breakdown(self) -> dict[str, int]:
        other = sum(self.charged.values())
        return {"guest": self.cycles - other, **self.charged}

    # -- the fetch-execute step -------------------------------------------------------------
    def step(self) -> None:
        """Execute one instruction (or take the exception it raises)."""
        eip = self.eip
        try:
            if self.block_start:
                self.block_start = False
                if self.block_hook is not None:
                    self.block_hook(self, eip)
            if self.exec_hooks and eip in self.exec_hooks and self.exec_hooks[eip](self):
                return
            handler, ins = self._fetch(eip)
            op = ins.row.opcode
            if self.cpl and self.privileged[op]:
                raise CpuFault(VEC_GP, 0)
            self.eip = (eip + INSTRUCTION_SIZE) & M32
            handler(ins)
            self.cycles += self.cost[op]
            self.instructions += 1
            if self.ends_block[op]:
                self.block_start = True
        except (CpuFault, PageFault, BusError) as fault:
            self.eip = eip
            self.recover(fault)

    def recover(self, fault: Exception) -> None:
        """Deliver the fault an instruction at eip raised (eip already points at it)."""
        eip = self.eip
        if isinstance(fault, PageFault):
            self.cr2 = fault.vaddr
            self.events["page_faults"] += 1
            self.exception(VEC_PF, fault.error, eip)
        elif isinstance(fault, CpuFault):
            self.exception(fault.vector, fault.error, eip)
        else:
            self.exception(VEC_GP, 0, eip)

    def _fetch(self, eip: int):
        user = self.cpl == 3
        if (eip & PAGE_MASK) > 0x1000 - INSTRUCTION_SIZE:
            raw = bytes(self.mem.read8(self.mmu.translate((eip + i) & M32, False, user))
                        for i in range(INSTRUCTION_SIZE))
            ins = decode(raw)
            if ins is None:
                raise CpuFault(VEC_UD)
            return self.handlers[ins.row.opcode], ins
        pa = self.mmu.translate(eip, False, user)
        entry = self.decoded.get(pa)
        if entry is None:
            if pa + INSTRUCTION_SIZE > self.mem.size:
                raise BusError(pa)
            ins = decode(self.mem.data[pa:pa + INSTRUCTION_SIZE])
            if ins is None:
                raise CpuFault(VEC_UD)
            entry = (self.handlers[ins.row.opcode], ins)
            self.decoded[pa] = entry
            self._decoded_pages.setdefault(pa >> 12, []).append(pa)
            self.mem.code_pages.add(pa >> 12)
        handler, ins = entry
        return self.handlers[ins.row.opcode], ins

    def _forget_page(self, ppn: int) -> None:
        for pa in self._decoded_pages.pop(ppn, ()):
            self.decoded.pop(pa, None)
        self.mem.code_pages.discard(ppn)
        for listener in self.code_listeners:
            listener(ppn)

    def forget_decoded(self) -> None:
        """Drop every decoded instruction (after a handler table change, for instance)."""
        self.decoded.clear()
        self._decoded_pages.clear()
        self.mem.code_pages.clear()

    # -- exceptions and interrupts ----------------------------------------------------------
    def exception(self, vector: int, error: int, return_eip: int, software: bool = False) -> None:
        """Deliver an exception or interrupt: to a hypervisor's hook if it takes it, else the IDT."""
        self.events["exceptions" if vector < 32 else "interrupts"] += 1
        self.block_start = True
        if self.exception_hook is not None and self.exception_hook(
            self, vector, error, return_eip, software
        ):
            return
        if self.trace is not None:
            self.note("exception" if vector < 32 else "interrupt", VECTOR_NAMES.get(vector, str(vector)))
        self.deliver(vector, error, return_eip, software)

    def deliver(self, vector: int, error: int, return_eip: int, software: bool = False) -> None:
        """x86-style delivery through the IDT (frame layout in docs/isa.md). A fault while
        delivering is delivered instead; a second one is a triple fault and stops the machine."""
        for _attempt in range(2):
            try:
                self._deliver(vector, error, return_eip, software)
                return
            except _GateDenied as denied:  # `int n` through a gate the caller may not use
                vector, error, return_eip = VEC_GP, denied.error, return_eip - INSTRUCTION_SIZE
                self.events["exceptions"] += 1
            except PageFault as pf:
                self.cr2, vector, error = pf.vaddr, VEC_PF, pf.error
            except CpuFault as fault:
                vector, error = fault.vector, fault.error
            except BusError:
                vector, error = VEC_GP, 0
            software = False
        raise MachineStop("triple-fault", f"triple fault while delivering vector {vector}: "
                                          "the IDT or the kernel stack is unusable")

    def _deliver(self, vector: int, error: int, return_eip: int, software: bool) -> None:
        base, limit = self.idtr
        if vector * 8 + 7 > limit:
            raise CpuFault(VEC_GP, vector * 8 + 2)
        handler = self.read32_sup(base + vector * 8)
        flags = self.read32_sup(base + vector * 8 + 4)
        if not flags & 1:
            raise CpuFault(VEC_GP, vector * 8 + 2)
        if software and ((flags >> 1) & 3) < self.cpl:
            raise _GateDenied(vector * 8 + 2)
        # The ring the handler runs in: 0, unless a paravirtual trap table asks for ring 1.
        target = (flags >> 3) & 3 if self.gate_rings else 0
        old_esp, old_cs, old_flags = self.regs[4], cs_selector(self.cpl), self.eflags
        new_esp = self.msrs[MSR_KERNEL_ESP] if self.cpl > target else old_esp
        frame = (old_esp, old_flags, old_cs, return_eip, error)
        for k, value in enumerate(frame, start=1):
            self.write32_sup((new_esp - 4 * k) & M32, value)
        self.regs[4] = (new_esp - 4 * len(frame)) & M32
        self.cpl = min(target, self.cpl)
        self.eflags &= ~IF
        self.eip = handler
        self.cycles += self.profile["exception_entry" if software or vector >= 32
                                    else "fault_entry"]

    def interrupt_pending(self) -> bool:
        return 0 <= self.timer.next_fire <= self.cycles - self.hidden

    def interrupts_enabled(self) -> bool:
        """Whether a due interrupt is taken now: IF, or a hypervisor's virtual IF."""
        return bool(self.eflags & IF) if self.irq_gate is None else self.irq_gate()

    def take_timer_interrupt(self) -> None:
        self.timer.now = self.cycles - self.hidden
        self.timer.fire()
        self.exception(VEC_TIMER, 0, self.eip)

    # -- memory access at the current privilege ---------------------------------------------
    def ea(self, ins: Instruction) -> int:
        return ins.imm if ins.base == NO_BASE else (self.regs[ins.base] + ins.imm) & M32

    def read32(self, va: int) -> int:
        return self._read32(va, self.cpl == 3)

    def write32(self, va: int, value: int) -> None:
        self._write32(va, value, self.cpl == 3)

    def read32_sup(self, va: int) -> int:
        return self._read32(va, False)

    def write32_sup(self, va: int, value: int) -> None:
        self._write32(va, value, False)

    def _read32(self, va: int, user: bool) -> int:
        if (va & PAGE_MASK) > 0x1000 - 4:
            return sum(self._read8(va + i, user) << (8 * i) for i in range(4))
        return self.mem.read32(self.mmu.translate(va, False, user))

    def _write32(self, va: int, value: int, user: bool) -> None:
        if (va & PAGE_MASK) > 0x1000 - 4:
            pas = [self.mmu.translate((va + i) & M32, True, user) for i in range(4)]
            for i, pa in enumerate(pas):
                self.mem.write8(pa, value >> (8 * i))
            return
        self.mem.write32(self.mmu.translate(va, True, user), value)

    def _read8(self, va: int, user: bool) -> int:
        return self.mem.read8(self.mmu.translate(va & M32, False, user))

    def fast_accessors(self):
        """read32/write32 at the current privilege with the TLB hit path inlined, for compiled
        blocks; anything unusual (a miss, a page edge, a watched code page) takes the full path."""
        mmu, mem = self.mmu, self.mem
        data, tlb, code_pages = mem.data, mmu.tlb, mem.code_pages
        slow_read, slow_write = self.read32, self.write32

        def read32(va: int) -> int:
            off = va & PAGE_MASK
            if off <= 0xFFC and mmu.enabled:
                e = tlb.get(va >> 12)
                if e is not None and (e[2] or self.cpl != 3):
                    pa = e[0] | off
                    if pa + 4 <= mem.size:
                        return int.from_bytes(data[pa:pa + 4], "little")
            return slow_read(va)

        def write32(va: int, value: int) -> None:
            off = va & PAGE_MASK
            if off <= 0xFFC and mmu.enabled:
                e = tlb.get(va >> 12)
                if e is not None and e[3]:
                    user = self.cpl == 3
                    if (e[2] or not user) and (e[1] or not (user or mmu.write_protect)):
                        pa = e[0] | off
                        if pa + 4 <= mem.size and pa >> 12 not in code_pages:
                            data[pa:pa + 4] = (value & M32).to_bytes(4, "little")
                            return
            slow_write(va, value)

        return read32, write32

    def read8_current(self, va: int) -> int:
        return self._read8(va, self.cpl == 3)

    def write8_current(self, va: int, value: int) -> None:
        self.mem.write8(self.mmu.translate(va & M32, True, self.cpl == 3), value)

    def push(self, value: int) -> None:
        esp = (self.regs[4] - 4) & M32
        self.write32(esp, value)
        self.regs[4] = esp

    def pop(self) -> int:
        value = self.read32(self.regs[4])
        self.regs[4] = (self.regs[4] + 4) & M32
        return value

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
