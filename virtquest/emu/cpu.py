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
from virtquest.emu.faults import CpuFault, MachineStop, _GateDenied
from virtquest.emu.isa import (
    BLOCK_ENDERS,
    CF,
    FLAGS_ALWAYS_ONE,
    IF,
    INSTRUCTION_SIZE,
    MSR_KERNEL_ESP,
    NO_BASE,
    OF,
    ROWS,
    SF,
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
from virtquest.emu.ops import InstructionSet

M32 = 0xFFFFFFFF
SIGN = 0x80000000
ARITH = CF | ZF | SF | OF
CR0_PE, CR0_WP, CR0_PG = 1, 1 << 16, 1 << 31
HIDDEN_FROM_GUEST = frozenset({"trap", "emulation", "translation", "hypercall", "page_walk",
                               "device"})
WRITABLE_MSRS = frozenset({0x174, MSR_KERNEL_ESP, 0x176})


_FORM_LETTER = {"r": "r", "imm": "i", "m": "m", "cr": "c", "cs": "s", "label": "l"}


def _form(row) -> str:
    """Handler-name suffix of a row: `mov r, cs` → "rs", `mov crN, r` → "cr"."""
    return "".join(_FORM_LETTER[o.value] for o in row.operands)



class HookTable(dict):
    """exec_hooks: a dict that counts its changes and remembers, per page, when a hook last came
    or went there, so compiled code can tell cheaply whether its own pages saw a change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = 0
        self.base = 0                            # before this, ask everything again
        self.page_version: dict[int, int] = {}   # page -> version of its last change

    def _changed(self, key) -> None:
        self.version += 1
        self.page_version[key >> 12] = self.version

    def _reset(self) -> None:
        self.version += 1
        self.base = self.version
        self.page_version.clear()

    def __setitem__(self, key, value):
        if key not in self:
            self._changed(key)
        super().__setitem__(key, value)

    def __delitem__(self, key):
        self._changed(key)
        super().__delitem__(key)

    def pop(self, key, *default):
        if key in self:
            self._changed(key)
        return super().pop(key, *default)

    def clear(self):
        self._reset()
        super().clear()

    def update(self, *args, **kwargs):
        self._reset()
        super().update(*args, **kwargs)

    def setdefault(self, key, default=None):
        if key not in self:
            self._changed(key)
        return super().setdefault(key, default)

    def popitem(self):
        self._reset()
        return super().popitem()


class CPU(InstructionSet):
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
        self.exec_hooks: HookTable = HookTable()
        self.block_hook: Callable[[CPU, int], None] | None = None
        self.irq_gate: Callable[[], bool] | None = None   # a VMM's virtual interrupt flag
        self.trace: list[tuple[int, int, str, str]] | None = None   # (cycle, eip, kind, text)
        self.trace_limit = 20000
        self.block_start = True
        self.block_hook_rings = frozenset({0, 1, 2, 3})   # rings whose blocks the hook wants
        # block_hook_repeat(cpu, eip): if calling the block hook again and again at eip (a loop
        # going round) would only count, a function that counts n such calls at once; else None.
        self.block_hook_repeat: Callable[[CPU, int], Callable[[int], None] | None] | None = None
        # block_hook_hit(eip): the block hook at eip, if it would only count (True); else False
        self.block_hook_hit: Callable[[int], bool] | None = None
        self._fastpath = None
        self.gate_rings = True     # honour an IDT entry's ring bits (hardware assist: ring 0)
        self._fp = self._fi = 0
        self.code_listeners: list[Callable[[int], None]] = []  # told when code is written
        # told when code is written, or any byte of a page watched whole (memory.watch_page)
        self.page_listeners: list[Callable[[int], None]] = []
        self.decoded: dict[int, tuple[Callable, Instruction]] = {}
        self._decoded_pages: dict[int, list[int]] = {}
        memory.on_code_write = self._forget_page
        memory.on_page_write = self._page_written
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
            self.mem.watch(pa, INSTRUCTION_SIZE)
        handler, ins = entry
        return self.handlers[ins.row.opcode], ins

    def _forget_page(self, ppn: int) -> None:
        for pa in self._decoded_pages.pop(ppn, ()):
            self.decoded.pop(pa, None)
        self.mem.unwatch(ppn)
        for listener in self.code_listeners:
            listener(ppn)
        self._page_written(ppn)

    def _page_written(self, ppn: int) -> None:
        for listener in self.page_listeners:
            listener(ppn)

    def execute_for_vmm(self, ins: Instruction) -> None:
        """Run the instruction at eip on a hypervisor's behalf: the guest's result and clock,
        no real cycles (the hypervisor charges its own); eip stays put if it faults."""
        eip = self.eip
        self.eip = (eip + INSTRUCTION_SIZE) & M32
        try:
            self.handlers[ins.row.opcode](ins)
        except BaseException:
            self.eip = eip
            raise
        self.emulated(self.cost[ins.row.opcode])
        self.instructions += 1

    def forget_decoded(self) -> None:
        """Drop every decoded instruction (after a handler table change, for instance). The code
        watch stays: compiled blocks and translations still rely on it."""
        self.decoded.clear()
        self._decoded_pages.clear()

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
        delivering is delivered instead; a second one is a triple fault and stops the machine.
        An `int n` that cannot be delivered (a gate its ring may not use, a missing gate, a
        fault on the way) faults at the `int` itself, as on x86."""
        for _attempt in range(2):
            try:
                self._deliver(vector, error, return_eip, software)
                return
            except _GateDenied as denied:  # `int n` through a gate the caller may not use
                vector, error = VEC_GP, denied.error
                self.events["exceptions"] += 1
            except PageFault as pf:
                self.cr2, vector, error = pf.vaddr, VEC_PF, pf.error
            except CpuFault as fault:
                vector, error = fault.vector, fault.error
            except BusError:
                vector, error = VEC_GP, 0
            if software:
                return_eip = (return_eip - INSTRUCTION_SIZE) & M32
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
        data, tlb, code_pages, touches_code = mem.data, mmu.tlb, mem.code_pages, mem.touches_code
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
                        if pa + 4 <= mem.size and (pa >> 12 not in code_pages
                                                   or not touches_code(pa, pa + 3)):
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
