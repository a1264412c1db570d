"""An independent x86 oracle for VQ32: translate an assembled VQ32 program into x86-32 machine code
and run it in Unicorn, so the two machines can be compared instruction for instruction.

Every VQ32 instruction is 8 bytes and x86 instructions are not, so code addresses differ between
the two; data does not move. A translated program keeps its data at the same addresses, and
branch targets are mapped from VQ32 addresses to x86 ones. Each x86 encoding's length depends
only on the instruction itself (rel32 branches, imm32 and disp32 operands), so two passes lay the
code out.

The module also knows which of CF, ZF, SF and OF x86 leaves undefined after each instruction, and
works out by data flow over the program which flags may be undefined before each instruction: a
comparison masks those, and a generator avoids reading them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from unicorn import UC_ARCH_X86, UC_MODE_32, Uc, UcError
from unicorn import x86_const as ux

from virtquest.emu.asm import Program
from virtquest.emu.encoding import Instruction, decode
from virtquest.emu.isa import CF, INSTRUCTION_SIZE, NO_BASE, OF, REGISTERS, SF, ZF, Operand

ARITH = CF | ZF | SF | OF
PF, AF, DF = 1 << 2, 1 << 4, 1 << 10   # x86 flags VQ32 does not model: never compared
FLAG_NAMES = ((CF, "CF"), (ZF, "ZF"), (SF, "SF"), (OF, "OF"))
M32 = 0xFFFFFFFF

X86_CODE_BASE = 0x40000      # where translated code goes in the x86 machine's memory
X86_MEMORY = 1 << 20         # the same amount of RAM as a default VQ32 machine

UC_REGISTERS = (ux.UC_X86_REG_EAX, ux.UC_X86_REG_ECX, ux.UC_X86_REG_EDX, ux.UC_X86_REG_EBX,
                ux.UC_X86_REG_ESP, ux.UC_X86_REG_EBP, ux.UC_X86_REG_ESI, ux.UC_X86_REG_EDI)


class Unsupported(ValueError):
    """A VQ32 instruction this oracle has no x86 translation for."""


_OTHER_FLAGS = ((1 << 1, "bit1"), (PF, "PF"), (AF, "AF"), (1 << 8, "TF"), (1 << 9, "IF"), (DF, "DF"))


def flag_names(mask: int) -> str:
    """"CF SF" for a set of EFLAGS bits ("-" for none)."""
    names = [name for bit, name in FLAG_NAMES + _OTHER_FLAGS if mask & bit]
    rest = mask & ~(ARITH | sum(bit for bit, _ in _OTHER_FLAGS))
    if rest:
        names.append(f"{rest:#x}")
    return " ".join(names) or "-"


# -- flags: what each instruction reads, defines and leaves undefined on x86 ---------------------

@dataclass(frozen=True)
class FlagEffect:
    """Of CF ZF SF OF: read, written with a defined value, written with an undefined value. A flag
    in neither written set is unchanged, or (shift and rotate counts from cl) maybe unchanged,
    maybe defined — which leaves an undefined flag undefined and a defined one defined."""

    reads: int = 0
    defined: int = 0
    undefined: int = 0

    def after(self, undefined_before: int) -> int:
        return (undefined_before & ~self.defined) | self.undefined


JCC_READS = {
    "je": ZF, "jz": ZF, "jne": ZF, "jnz": ZF,
    "jb": CF, "jae": CF, "ja": CF | ZF, "jbe": CF | ZF,
    "jl": SF | OF, "jge": SF | OF, "jle": ZF | SF | OF, "jg": ZF | SF | OF,
    "js": SF, "jns": SF, "jo": OF, "jno": OF,
}
_ALL_DEFINED = frozenset({"add", "sub", "cmp", "neg", "and", "or", "xor", "test", "popf"})
_SHIFTS = frozenset({"shl", "shr", "sar"})
_ROTATES = frozenset({"rol", "ror"})


def flag_effect(ins: Instruction) -> FlagEffect:
    """What the x86 counterpart of `ins` does to CF ZF SF OF (pushf's read is not counted: a
    comparison of pushed flags masks what is undefined instead)."""
    m = ins.row.mnemonic
    if m in _ALL_DEFINED:
        return FlagEffect(defined=ARITH)
    if m in ("adc", "sbb"):
        return FlagEffect(reads=CF, defined=ARITH)
    if m in ("inc", "dec"):
        return FlagEffect(defined=ZF | SF | OF)
    if m in ("imul", "mul"):
        return FlagEffect(defined=CF | OF, undefined=ZF | SF)
    if m in ("div", "idiv"):
        return FlagEffect(undefined=ARITH)
    if m in _SHIFTS or m in _ROTATES:
        if ins.row.operands[-1] is Operand.CL:   # count unknown here: maybe 0, maybe 1, maybe more
            return FlagEffect(undefined=OF)
        n = ins.imm & 31
        if n == 0:
            return FlagEffect()
        written = ARITH if m in _SHIFTS else CF | OF
        if n == 1:
            return FlagEffect(defined=written)
        return FlagEffect(defined=written & ~OF, undefined=OF)
    if m in JCC_READS:
        return FlagEffect(reads=JCC_READS[m])
    return FlagEffect()


# -- x86 encoding ---------------------------------------------------------------------------------

_ALU_EXT = {"add": 0, "or": 1, "adc": 2, "sbb": 3, "and": 4, "sub": 5, "xor": 6, "cmp": 7}
_GROUP3_EXT = {"not": 2, "neg": 3, "mul": 4, "div": 6, "idiv": 7}
_SHIFT_EXT = {"rol": 0, "ror": 1, "shl": 4, "shr": 5, "sar": 7}
_JCC_OPCODE = {
    "jo": 0x80, "jno": 0x81, "jb": 0x82, "jae": 0x83, "je": 0x84, "jz": 0x84, "jne": 0x85,
    "jnz": 0x85, "jbe": 0x86, "ja": 0x87, "js": 0x88, "jns": 0x89, "jl": 0x8C, "jge": 0x8D,
    "jle": 0x8E, "jg": 0x8F,
}
_SIMPLE = {"nop": b"\x90", "cdq": b"\x99", "pushf": b"\x9c", "popf": b"\x9d", "hlt": b"\xf4",
           "cli": b"\xfa", "sti": b"\xfb"}


def _imm32(value: int) -> bytes:
    return (value & M32).to_bytes(4, "little")


def _rr(reg: int, rm: int) -> bytes:
    """ModRM for two registers (mod 11)."""
    return bytes((0xC0 | reg << 3 | rm,))


def _mem(reg: int, ins: Instruction) -> bytes:
    """ModRM (and SIB) with a disp32 for VQ32's [base+disp] or [abs]."""
    if ins.base == NO_BASE:
        return bytes((0x05 | reg << 3,)) + _imm32(ins.imm)
    if ins.base == 4:   # esp as a base needs a SIB byte
        return bytes((0x84 | reg << 3, 0x24)) + _imm32(ins.imm)
    return bytes((0x80 | reg << 3 | ins.base,)) + _imm32(ins.imm)


def _kinds(ins: Instruction) -> str:
    return "".join({Operand.REG: "r", Operand.IMM: "i", Operand.MEM: "m", Operand.LABEL: "l",
                    Operand.CL: "c"}.get(k, "?") for k in ins.row.operands)


def encode_x86(ins: Instruction, here: int, target: int | None = None) -> bytes:
    """The x86-32 code for one VQ32 instruction placed at x86 address `here`; `target` is the
    x86 address of a branch's destination. The length never depends on `here` or `target`."""
    m, kinds, a, b = ins.row.mnemonic, _kinds(ins), ins.a, ins.b

    def rel32(size: int) -> bytes:
        if target is None:
            return b"\0\0\0\0"
        return _imm32(target - (here + size))

    if m in _SIMPLE and kinds == "":
        return _SIMPLE[m]
    if m == "mov":
        code = {"rr": lambda: b"\x89" + _rr(b, a), "ri": lambda: bytes((0xB8 + a,)) + _imm32(ins.imm),
                "rm": lambda: b"\x8b" + _mem(a, ins), "mr": lambda: b"\x89" + _mem(a, ins)}
        if kinds in code:
            return code[kinds]()
    if m == "movb":
        if kinds == "rm":
            return b"\x0f\xb6" + _mem(a, ins)       # movzx r32, byte [m]
        if kinds == "mr":
            if a > 3:
                raise Unsupported(f"{ins.text()}: only eax, ecx, edx and ebx have a byte register")
            return b"\x88" + _mem(a, ins)
    if m in _ALU_EXT:
        ext = _ALU_EXT[m]
        if kinds == "rr":
            return bytes((ext * 8 + 1,)) + _rr(b, a)
        if kinds == "ri":
            return b"\x81" + _rr(ext, a) + _imm32(ins.imm)
        if kinds == "rm":
            return bytes((ext * 8 + 3,)) + _mem(a, ins)
    if m == "test":
        if kinds == "rr":
            return b"\x85" + _rr(b, a)
        if kinds == "ri":
            return b"\xf7" + _rr(0, a) + _imm32(ins.imm)
        if kinds == "rm":
            return b"\x85" + _mem(a, ins)
    if m == "imul":
        if kinds == "rr":
            return b"\x0f\xaf" + _rr(a, b)
        if kinds == "ri":
            return b"\x69" + _rr(a, a) + _imm32(ins.imm)   # imul r32, r32, imm32
        if kinds == "rm":
            return b"\x0f\xaf" + _mem(a, ins)
    if m in _GROUP3_EXT and kinds == "r":
        return b"\xf7" + _rr(_GROUP3_EXT[m], a)
    if m in ("inc", "dec") and kinds == "r":
        return bytes(((0x40 if m == "inc" else 0x48) + a,))
    if m in _SHIFT_EXT:
        if kinds == "ri":
            return b"\xc1" + _rr(_SHIFT_EXT[m], a) + bytes((ins.imm & 0xFF,))
        if kinds == "rc":
            return b"\xd3" + _rr(_SHIFT_EXT[m], a)
    if m == "push":
        if kinds == "r":
            return bytes((0x50 + a,))
        if kinds in ("i", "l"):
            return b"\x68" + _imm32(ins.imm)
    if m == "pop" and kinds == "r":
        return bytes((0x58 + a,))
    if m == "lea" and kinds == "rm":
        return b"\x8d" + _mem(a, ins)
    if m == "xchg":
        if kinds == "rr":
            return b"\x87" + _rr(b, a)
        if kinds in ("rm", "mr"):
            return b"\x87" + _mem(a, ins)
    if m == "jmp" and kinds == "l":
        return b"\xe9" + rel32(5)
    if m in _JCC_OPCODE and kinds == "l":
        return bytes((0x0F, _JCC_OPCODE[m])) + rel32(6)
    if m == "loop" and kinds == "l":
        # loop has only a rel8 form: loop to a trampoline that jumps anywhere.
        #   loop +2 ; jmp short +5 ; jmp rel32 target
        return b"\xe2\x02\xeb\x05\xe9" + rel32(9)
    raise Unsupported(f"no x86 translation for `{ins.text()}` ({ins.row.syntax})")


# -- a whole program ------------------------------------------------------------------------------

@dataclass
class Translation:
    """A VQ32 program's instructions, their x86 code, and the map between the two."""

    program: Program
    instructions: dict[int, Instruction]   # VQ32 address -> instruction
    code: bytes                            # x86 code, loaded at `base`
    base: int
    address: dict[int, int]                # VQ32 instruction address -> x86 address
    entry: int                             # VQ32 address of _start
    end: int                               # VQ32 address of the hlt that ends the run
    undefined_before: dict[int, int] = field(default_factory=dict)   # flags maybe undefined

    def x86(self, vq_address: int) -> int:
        return self.address[vq_address]

    def vq(self, x86_address: int) -> int | None:
        for vq, x in self.address.items():
            if x == x86_address:
                return vq
        return None

    def bytes_at(self, vq_address: int) -> bytes:
        start = self.address[vq_address] - self.base
        following = sorted(x for x in self.address.values() if x > self.address[vq_address])
        stop = (following[0] - self.base) if following else len(self.code)
        return self.code[start:stop]

    def listing(self, mark: int | None = None) -> str:
        """VQ32 address, text and x86 bytes of every instruction, labels included; `mark`
        points an arrow at one address."""
        labels: dict[int, list[str]] = {}
        for name in sorted(self.program.labels):
            labels.setdefault(self.program.symbols[name], []).append(name)
        lines = []
        symbols = self.program.label_at()
        for addr, ins in self.instructions.items():
            for name in labels.get(addr, ()):
                lines.append(f"{name}:")
            arrow = "=>" if addr == mark else "  "
            lines.append(f"{arrow} {addr:#06x}  {ins.text(symbols):<28} ; x86 {self.bytes_at(addr).hex(' ')}")
        return "\n".join(lines)

    def reads_of_undefined(self) -> list[tuple[int, int]]:
        """(VQ32 address, flags) wherever an instruction may read a flag x86 left undefined."""
        out = []
        for addr, ins in self.instructions.items():
            bad = flag_effect(ins).reads & self.undefined_before.get(addr, 0)
            if bad:
                out.append((addr, bad))
        return out


def translate(program: Program, base: int = X86_CODE_BASE, entry: str = "_start") -> Translation:
    """Translate every instruction of `program` (its whole image must be code) into x86."""
    instructions: dict[int, Instruction] = {}
    for addr in program.code:
        off = addr - program.origin
        ins = decode(program.image[off:off + INSTRUCTION_SIZE])
        if ins is None:
            raise Unsupported(f"{addr:#x}: not a canonical VQ32 instruction")
        instructions[addr] = ins
    # Pass 1: sizes (independent of targets), so x86 addresses; pass 2: the bytes.
    address, here = {}, base
    for addr, ins in instructions.items():
        address[addr] = here
        here += len(encode_x86(ins, here))
    code = bytearray()
    for addr, ins in instructions.items():
        target = None
        if Operand.LABEL in ins.row.operands:
            if ins.imm not in address:
                raise Unsupported(f"{addr:#x} `{ins.text()}`: its target {ins.imm:#x} is not an "
                                  "instruction of this program")
            target = address[ins.imm]
        code += encode_x86(ins, address[addr], target)
    halts = [addr for addr, ins in instructions.items() if ins.row.mnemonic == "hlt"]
    if not halts:
        raise Unsupported("the program needs a hlt to end the run")
    translation = Translation(program, instructions, bytes(code), base, address,
                              program.symbols[entry], halts[-1])
    translation.undefined_before = _undefined_flags(translation)
    return translation


def _successors(addr: int, ins: Instruction) -> list[int]:
    m = ins.row.mnemonic
    following = (addr + INSTRUCTION_SIZE) & M32
    if m == "hlt":
        return []
    if m == "jmp":
        if ins.row.operands != (Operand.LABEL,):
            raise Unsupported(f"{addr:#x}: an indirect jump has no static successor")
        return [ins.imm]
    if m in JCC_READS or m == "loop":
        return [following, ins.imm]
    if m in ("call", "ret", "int", "iret"):
        raise Unsupported(f"{addr:#x}: `{m}` is not followed by the flag analysis")
    return [following]


def _undefined_flags(t: Translation) -> dict[int, int]:
    """Data flow from the entry: the flags that may be undefined (on x86) before each instruction."""
    state: dict[int, int] = {t.entry: 0}
    work = [t.entry]
    while work:
        addr = work.pop()
        ins = t.instructions.get(addr)
        if ins is None:
            raise Unsupported(f"control reaches {addr:#x}, which is not an instruction")
        out = flag_effect(ins).after(state[addr])
        for nxt in _successors(addr, ins):
            merged = state.get(nxt, 0) | out
            if nxt not in state or merged != state[nxt]:
                state[nxt] = merged
                work.append(nxt)
    return state


# -- running in Unicorn ---------------------------------------------------------------------------

@dataclass
class X86Result:
    registers: dict[str, int]
    eflags: int
    memory: dict[int, bytes]      # start address -> bytes, for each region asked for
    instructions: int = 0


class X86Machine:
    """A Unicorn x86-32 machine with a translated program loaded: flat memory from 0, code at
    the translation's base, the other registers zero and esp as the program sets it."""

    def __init__(self, translation: Translation, memory: int = X86_MEMORY):
        self.t = translation
        self.uc = Uc(UC_ARCH_X86, UC_MODE_32)
        self.uc.mem_map(0, memory)
        self.uc.mem_write(translation.base, translation.code)
        self.pc = translation.x86(translation.entry)
        self.executed = 0

    def write(self, address: int, data: bytes) -> None:
        self.uc.mem_write(address, bytes(data))

    def read(self, address: int, size: int) -> bytes:
        return bytes(self.uc.mem_read(address, size))

    def registers(self) -> dict[str, int]:
        return {name: self.uc.reg_read(r) for name, r in zip(REGISTERS, UC_REGISTERS, strict=True)}

    def eflags(self) -> int:
        return self.uc.reg_read(ux.UC_X86_REG_EFLAGS)

    def run_until(self, x86_address: int, count: int = 0, timeout_us: int = 10_000_000) -> bool:
        """Run from the current pc until `x86_address` (or `count` instructions when nonzero);
        True when it got there. A CPU exception (a #DE, say) raises UcError."""
        try:
            self.uc.emu_start(self.pc, x86_address, timeout=timeout_us, count=count)
        finally:
            self.pc = self.uc.reg_read(ux.UC_X86_REG_EIP)
        return self.pc == x86_address

    def run_to_vq(self, vq_address: int, count: int = 0) -> bool:
        return self.run_until(self.t.x86(vq_address), count)


def run_x86(translation: Translation, preload: dict[int, bytes] | None = None,
            regions: dict[int, int] | None = None, max_instructions: int = 2_000_000) -> X86Result:
    """Run a translated program from its entry to its final hlt (not executed) and return the
    registers, EFLAGS and the memory `regions` ({address: size}). Raises AssertionError when the
    run does not get there (a CPU exception, or too many instructions)."""
    machine = X86Machine(translation)
    for address, data in (preload or {}).items():
        machine.write(address, data)
    try:
        reached = machine.run_until(translation.x86(translation.end), count=max_instructions)
    except UcError as exc:
        where = translation.vq(machine.pc)
        raise AssertionError(f"x86 run stopped with {exc} at x86 {machine.pc:#x} (VQ32 "
                             f"{where if where is None else hex(where)})\n"
                             f"{translation.listing(where)}") from None
    if not reached:
        raise AssertionError(f"x86 run did not reach the final hlt within {max_instructions} "
                             f"instructions (pc {machine.pc:#x})\n{translation.listing()}")
    memory = {address: machine.read(address, size) for address, size in (regions or {}).items()}
    return X86Result(machine.registers(), machine.eflags(), memory)
