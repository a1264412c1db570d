"""The VQ32 CPU: registers, flags, rings, the fetch-execute step, memory access at a privilege.

What each instruction does comes from its definition in the instruction table (the interpreter's
handlers are made from it, codegen.py); what the hardware does beyond that — deliver an exception,
return from one, halt, load a control register — are the services of actions.py, and the way an
exception or interrupt reaches its handler is delivery.py's (both mixed in). A hypervisor
attaches once (`attach`, the interface is hypervisor.py) and changes policy through that
interface; per-address `sites` let it (or a tool's probe) act before one instruction runs.
"""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Callable, Mapping
from typing import NamedTuple

from virtquest.emu.actions import Actions
from virtquest.emu.codegen import step_handlers
from virtquest.emu.costs import CATEGORIES, CostProfile
from virtquest.emu.delivery import Delivery
from virtquest.emu.devices import IOBus
from virtquest.emu.encoding import Instruction, decode
from virtquest.emu.faults import CpuFault, MachineStop  # noqa: F401 (MachineStop: for importers)
from virtquest.emu.hypervisor import Hypervisor
from virtquest.emu.interrupts import InterruptController
from virtquest.emu.isa import (
    FLAGS_ALWAYS_ONE,
    INSTRUCTION_SIZE,
    M32,
    NO_BASE,
    ROWS,
    VEC_GP,
    VEC_UD,
    WRITABLE_MSRS,
    IClass,
)
from virtquest.emu.lowering import definition
from virtquest.emu.memory import PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, BusError, PhysicalMemory
from virtquest.emu.messages import Message, message
from virtquest.emu.mmu import MMU, PageFault

_WORDS = {n: struct.Struct(f"<{n}I") for n in range(1, 9)}   # n little-endian words
HIDDEN_FROM_GUEST = frozenset({"trap", "emulation", "translation", "hypercall", "page_walk",
                               "device"})
NATIVE = tuple(step_handlers())         # the interpreter's handler for every row, by opcode
# Instructions that lie across a page edge, decoded, by their bytes (decoding depends on nothing
# else); bounded, emptied when full.
_ACROSS: dict[bytes, Instruction | None] = {}
_UNSEEN = object()


class TraceEntry(NamedTuple):
    """One event of a traced run (`cpu.note`): when, where eip was, what happened — `kind` is
    an id ("trap", "vm_exit", …) and `params` its values (vector, instruction, reason, …)."""

    cycle: int
    eip: int
    kind: str
    params: Mapping[str, object]

    @property
    def message(self) -> Message:
        """What happened, as the message `trace.<kind>` (its wording in the catalogues)."""
        return message(f"trace.{self.kind}", **self.params)


def _ask_hypervisor(cpu: CPU, ins: Instruction) -> bool | None:
    """An intercepted form: True when the hypervisor took it, else the CPU runs it (None)."""
    if cpu.hv.on_instruction(ins):
        return True
    return NATIVE[ins.row.opcode](cpu, ins)


class SiteTable(dict):
    """cpu.sites: address -> what to call before the instruction there runs, `f(cpu) -> bool`
    (True: it ran the instruction itself) — a hypervisor's `on_site`, or a tool's probe. A dict
    that counts its changes and remembers, per page, when a site last came or went there, so
    compiled code can tell cheaply whether its own pages saw a change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = 0
        self.base = 0                            # before this, ask everything again
        self.page_version: dict[int, int] = {}   # page -> version of its last change

    def _changed(self, key) -> None:
        self.version += 1
        self.page_version[key >> PAGE_SHIFT] = self.version

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


class CPU(Delivery, Actions):
    """One VQ32 processor attached to memory, an MMU and an I/O bus."""

    def __init__(self, memory: PhysicalMemory, mmu: MMU, io: IOBus, apic: InterruptController,
                 profile: CostProfile):
        self.mem, self.mmu, self.io, self.apic = memory, mmu, io, apic
        self.regs = [0] * 8
        self.eip = 0
        self.eflags = FLAGS_ALWAYS_ONE
        self.cpl = 0
        self.cr0 = self.cr2 = self.cr3 = self.cr8 = 0
        self.idtr = (0, 0)
        self.gdtr = (0, 0)
        self.msrs: dict[int, int] = dict.fromkeys(WRITABLE_MSRS, 0)
        self.cycles = 0
        self.hidden = 0   # cycles the guest's own clock does not see (see guest_clock)
        self.instructions = 0
        self.charged = dict.fromkeys(CATEGORIES[1:], 0)   # every category but "guest"
        self.events: Counter[str] = Counter()
        self.sites: SiteTable = SiteTable()
        self.trace: list[TraceEntry] | None = None   # a list turns the timeline's trace on
        self.trace_limit = 20000
        self.block_start = True
        self.code_listeners: list[Callable[[int], None]] = []  # told when code is written
        self.decoded: dict[int, Instruction] = {}
        self._decoded_pages: dict[int, list[int]] = {}
        memory.on_code_write = self._code_written
        memory.on_page_write = self._page_written
        mmu.on_walk = self._charge_walk
        self.privileged = [row.iclass is IClass.PRIVILEGED for row in ROWS]
        self.ends_block = [definition(row).ends_block for row in ROWS]
        self.attach(Hypervisor())
        self.set_profile(profile)

    def attach(self, hv: Hypervisor) -> None:
        """Put a hypervisor beneath the guest (once, before the first instruction)."""
        self.hv = hv
        # per opcode: its handler, or for a form the hypervisor intercepts, the question first
        self.dispatch = [_ask_hypervisor if row.opcode in hv.intercepts else NATIVE[row.opcode]
                         for row in ROWS]
        self.translated = tuple(ring in hv.translated_rings for ring in range(4))
        # whether an exception asks the hypervisor first (bare hardware takes none)
        self.hv_takes_exceptions = type(hv).on_exception is not Hypervisor.on_exception
        hv.bind(self)

    # -- configuration ---------------------------------------------------------------------
    def set_profile(self, profile: CostProfile) -> None:
        self.profile = profile
        self.cost = [profile[row.cost_key] for row in ROWS]
        self.walk_ref_cycles = profile.cycles["page_walk_ref"]

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

    def note(self, kind: str, **params: object) -> None:
        """Record an event for the timeline (traps, exits, hypercalls, …) when tracing is on:
        its kind and its parameters, the message `trace.<kind>` fills in."""
        trace = self.trace
        if trace is not None and len(trace) < self.trace_limit:
            trace.append(TraceEntry(self.cycles, self.eip, kind, params))

    def _charge_walk(self, refs: int) -> None:
        """charge("page_walk", …) for a walk's references, without the look-ups."""
        cycles = refs * self.walk_ref_cycles
        self.cycles += cycles
        self.charged["page_walk"] += cycles
        self.hidden += cycles           # page walks are hidden from the guest's clock

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
                if self.translated[self.cpl]:
                    self.hv.on_block(eip)
            sites = self.sites
            if sites and eip in sites and sites[eip](self):
                return
            ins = self.fetch(eip)
            op = ins.row.opcode
            if self.cpl and self.privileged[op]:
                raise CpuFault(VEC_GP, 0)
            self.eip = (eip + INSTRUCTION_SIZE) & M32
            if self.dispatch[op](self, ins):         # the hypervisor took it
                if self.ends_block[op]:
                    self.block_start = True
                return
            self.cycles += self.cost[op]
            self.instructions += 1
            if self.ends_block[op]:
                self.block_start = True
        except (CpuFault, PageFault, BusError) as fault:
            self.eip = eip
            self.recover(fault)

    def perform(self, ins: Instruction) -> None:
        """Do what an instruction does and nothing else (eip already past it): no cycles, not
        counted — the caller accounts for it."""
        NATIVE[ins.row.opcode](self, ins)

    def execute(self, ins: Instruction) -> None:
        """Run an instruction as the hardware does (eip already past it): a hypervisor that took
        it (`on_instruction`) and lets it run after all."""
        NATIVE[ins.row.opcode](self, ins)
        self.cycles += self.cost[ins.row.opcode]
        self.instructions += 1

    def retire(self, ins: Instruction) -> None:
        """A hypervisor took an instruction and did its work: it counts as executed, at the
        cycles the hardware spends on it."""
        self.cycles += self.cost[ins.row.opcode]
        self.instructions += 1

    def retire_emulated(self, ins: Instruction) -> None:
        """A hypervisor did an instruction's work for the guest: it counts as executed and the
        guest's clock advances as if it had run (no real cycles: the hypervisor charged its own)."""
        self.emulated(self.cost[ins.row.opcode])
        self.instructions += 1

    def fetch(self, eip: int) -> Instruction:
        """The instruction at eip, as the CPU reads it at the current privilege (decoded once per
        physical address while its bytes stay the same)."""
        user = self.cpl == 3
        if (eip & PAGE_MASK) > PAGE_SIZE - INSTRUCTION_SIZE:
            return self._fetch_across(eip, user)
        pa = self.mmu.translate(eip, False, user)
        ins = self.decoded.get(pa)
        if ins is None:
            if pa + INSTRUCTION_SIZE > self.mem.size:
                raise BusError(pa)
            ins = decode(self.mem.data[pa:pa + INSTRUCTION_SIZE])
            if ins is None:
                raise CpuFault(VEC_UD)
            self.decoded[pa] = ins
            self._decoded_pages.setdefault(pa >> PAGE_SHIFT, []).append(pa)
            self.mem.watch(pa, INSTRUCTION_SIZE)
        return ins

    def _fetch_across(self, eip: int, user: bool) -> Instruction:
        """An instruction whose bytes lie on two pages: read a byte at a time, as the hardware
        fetches it, and decoded each time (nothing watches its bytes). Its two pages are
        translated once each, in the order the bytes are (the first translation of a page may
        walk or fault; the ones after it hit the entry just made, which changes nothing), and
        its decoding is looked up by its bytes."""
        mem, translate = self.mem, self.mmu.translate
        first = PAGE_SIZE - (eip & PAGE_MASK)          # bytes on the first page
        pa = translate(eip, False, user)
        if pa + first > mem.size:
            return self._fetch_bytewise(eip, user)     # a bus error on the way, as it comes
        pb = translate((eip + first) & M32, False, user)
        if pb + INSTRUCTION_SIZE - first > mem.size:
            return self._fetch_bytewise(eip, user)
        raw = bytes(mem.data[pa:pa + first] + mem.data[pb:pb + INSTRUCTION_SIZE - first])
        ins = _ACROSS.get(raw, _UNSEEN)
        if ins is _UNSEEN:
            if len(_ACROSS) >= 4096:
                _ACROSS.clear()
            ins = _ACROSS[raw] = decode(raw)
        if ins is None:
            raise CpuFault(VEC_UD)
        return ins

    def _fetch_bytewise(self, eip: int, user: bool) -> Instruction:
        raw = bytes(self.mem.read8(self.mmu.translate((eip + i) & M32, False, user))
                    for i in range(INSTRUCTION_SIZE))
        ins = decode(raw)
        if ins is None:
            raise CpuFault(VEC_UD)
        return ins

    def _code_written(self, ppn: int) -> None:
        for pa in self._decoded_pages.pop(ppn, ()):
            self.decoded.pop(pa, None)
        self.mem.unwatch(ppn)
        for listener in self.code_listeners:
            listener(ppn)
        self.hv.on_code_written(ppn)

    def _page_written(self, ppn: int) -> None:
        self.hv.on_code_written(ppn)

    def execute_for_vmm(self, ins: Instruction) -> None:
        """Run the instruction at eip on a hypervisor's behalf: the guest's result and clock,
        no real cycles (the hypervisor charges its own); eip stays put if it faults."""
        eip = self.eip
        self.eip = (eip + INSTRUCTION_SIZE) & M32
        try:
            NATIVE[ins.row.opcode](self, ins)
        except BaseException:
            self.eip = eip
            raise
        self.retire_emulated(ins)

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

    def read8_sup(self, va: int) -> int:
        return self._read8(va, False)

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
        translate, mem_read32, mem_write32 = mmu.translate, mem.read32, mem.write32

        def read32(va: int) -> int:
            off = va & PAGE_MASK
            if off <= 0xFFC:
                if mmu.enabled:
                    e = tlb.get(va >> 12)
                    if e is not None and (e.user or self.cpl != 3):
                        pa = e.frame | off
                        if pa + 4 <= mem.size:
                            return int.from_bytes(data[pa:pa + 4], "little")
                # what self.read32 does with a word inside one page
                return mem_read32(translate(va, False, self.cpl == 3))
            return slow_read(va)

        def write32(va: int, value: int) -> None:
            off = va & PAGE_MASK
            if off <= 0xFFC and mmu.enabled:
                e = tlb.get(va >> 12)
                if e is not None and e.dirty:
                    user = self.cpl == 3
                    if (e.user or not user) and (e.writable or not (user or mmu.write_protect)):
                        pa = e.frame | off
                        if pa + 4 <= mem.size and (pa >> 12 not in code_pages
                                                   or not touches_code(pa, pa + 3)):
                            data[pa:pa + 4] = (value & M32).to_bytes(4, "little")
                            return
            if off <= 0xFFC:      # what self.write32 does with a word inside one page
                mem_write32(translate(va, True, self.cpl == 3), value)
                return
            slow_write(va, value)

        return read32, write32

    def load_words(self, va: int, count: int, user: bool) -> tuple[int, ...] | None:
        """`count` words from va on, in one go, when they lie on one page whose TLB entry lets
        this privilege read it: what reading them one by one would give, with nothing else
        changed (a hit walks nothing). None when that does not hold: read them one by one."""
        offset, mmu = va & PAGE_MASK, self.mmu
        if offset + 4 * count > PAGE_SIZE or not mmu.enabled:
            return None
        entry = mmu.tlb.get(va >> PAGE_SHIFT)
        if entry is None or user and not entry.user:
            return None
        pa = entry.frame | offset
        if pa + 4 * count > self.mem.size:
            return None
        return _WORDS[count].unpack_from(self.mem.data, pa)

    def store_words_sup(self, va: int, values: tuple[int, ...]) -> bool:
        """Write words from va on, in one go, when they lie on one page whose TLB entry lets the
        supervisor write it now (dirty already) and holds no watched code: what writing them one
        by one would do. False, with nothing written, when that does not hold."""
        offset, mmu, mem = va & PAGE_MASK, self.mmu, self.mem
        if offset + 4 * len(values) > PAGE_SIZE or not mmu.enabled:
            return False
        entry = mmu.tlb.get(va >> PAGE_SHIFT)
        if entry is None or not entry.dirty or not (entry.writable or not mmu.write_protect):
            return False
        pa = entry.frame | offset
        if pa + 4 * len(values) > mem.size or pa >> PAGE_SHIFT in mem.code_pages:
            return False
        try:
            _WORDS[len(values)].pack_into(mem.data, pa, *values)
        except struct.error:       # a value beyond 32 bits: its low word, as write32 stores
            _WORDS[len(values)].pack_into(mem.data, pa, *(v & M32 for v in values))
        return True

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
