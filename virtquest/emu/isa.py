"""The VQ32 instruction table: every instruction form declared once, with its meaning.

The assembler, the disassembler, the CPU, the fast path, docs/isa.md and the GUI's instruction help
all read this table. One row is one *form* of a mnemonic (``mov r, imm`` and ``mov cr3, r`` are
different rows), because the class — innocuous, privileged, sensitive — belongs to the form, not to
the mnemonic. Each row carries its *definition*: what the form does, in the small language of
semantics.py (``a``/``b`` are the operands, ``ef`` the flags, ``flags_add(…)`` a flag rule, …).
The interpreter's handler and every compiled block are made from it, nothing else.

Encoding (fixed, 8 bytes, little-endian)::

    byte 0      opcode: the row's index in ROWS
    byte 1      low nibble: first register operand (or control register), high nibble: second
    byte 2      memory operand's base register (0-7), or 0xF for an absolute address
    byte 3      reserved, must be 0 (else #UD)
    bytes 4-7   imm32: the immediate, the memory displacement, the branch target or the port
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import Enum

INSTRUCTION_SIZE = 8
NO_BASE = 0xF
M32 = 0xFFFFFFFF          # a 32-bit word: the one mask every module uses
SIGN = 0x80000000         # a word's sign bit

REGISTERS = ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi")
REG_INDEX = {name: i for i, name in enumerate(REGISTERS)}
CONTROL_REGISTERS = (0, 2, 3, 8)

# EFLAGS bit positions, as on x86 (pushf/popf see them here).
CF, ZF, SF, IF, OF = 1 << 0, 1 << 6, 1 << 7, 1 << 9, 1 << 11
ARITH = CF | ZF | SF | OF    # the arithmetic flags VQ32 models (PF, AF and DF it does not)
FLAGS_ALWAYS_ONE = 1 << 1
FLAGS_WRITABLE = CF | ZF | SF | IF | OF

# Control registers.
CR0_PE, CR0_WP, CR0_PG = 1, 1 << 16, 1 << 31

# Exception and interrupt vectors.
VEC_DE, VEC_UD, VEC_GP, VEC_PF, VEC_TIMER, VEC_SYSCALL = 0, 6, 13, 14, 32, 0x80
VECTOR_NAMES = {VEC_DE: "#DE divide error", VEC_UD: "#UD invalid opcode",
                VEC_GP: "#GP general protection", VEC_PF: "#PF page fault",
                VEC_TIMER: "timer interrupt", VEC_SYSCALL: "system call"}

MSR_TSC = 0x10
MSR_SYSENTER_CS, MSR_KERNEL_ESP, MSR_SYSENTER_EIP = 0x174, 0x175, 0x176
# MSR_KERNEL_ESP is as x86's SYSENTER_ESP: the stack a trap into ring 0 starts on.
WRITABLE_MSRS = frozenset({MSR_SYSENTER_CS, MSR_KERNEL_ESP, MSR_SYSENTER_EIP})

# IDT gate flags (the second word of an 8-byte entry).
GATE_PRESENT = 1
GATE_DPL_SHIFT = 1            # bits 1-2: the highest CPL that may use `int n` on it
GATE_RING_SHIFT = 3           # bits 3-4: the ring the handler runs in (a PV kernel's: 1)
GATE_TRAP = 1 << 5            # a trap gate: delivery leaves IF alone (an interrupt gate clears it)


class IClass(Enum):
    """Popek & Goldberg's classes, plus the instructions that exist for virtualization."""

    INNOCUOUS = "innocuous"
    PRIVILEGED = "privileged"
    SENSITIVE = "sensitive"  # sensitive but unprivileged: the x86 holes
    VIRTUALIZATION = "virtualization"


class Operand(Enum):
    """Operand kinds; their order in a form is the assembly order (Intel: destination first)."""

    REG = "r"     # eax … edi
    IMM = "imm"   # number, character or symbol expression
    MEM = "m"     # [reg], [reg+imm], [reg-imm], [imm], [label], [label+imm]
    CR = "cr"     # cr0 cr2 cr3 cr8
    CS = "cs"     # the code segment selector (its low two bits are the CPL)
    LABEL = "label"  # a branch target: assembled as an absolute address
    CL = "cl"     # a shift or rotate count taken from ecx's low five bits (x86's `cl`)


@dataclass(frozen=True)
class Row:
    """One instruction form: what the assembler accepts and the CPU executes."""

    opcode: int
    mnemonic: str
    operands: tuple[Operand, ...]
    iclass: IClass
    cost_key: str
    summary_en: str
    summary_ko: str
    definition: str = "pass"      # what it does: see semantics.py
    width: int = 32               # the size of its memory operand, in bits

    def __hash__(self) -> int:       # rows are unique by opcode (hashing every field is slow)
        return self.opcode

    @property
    def privileged(self) -> bool:
        return self.iclass is IClass.PRIVILEGED

    @functools.cached_property
    def syntax(self) -> str:
        names = {Operand.REG: "r", Operand.IMM: "imm", Operand.MEM: "[m]", Operand.CR: "crN",
                 Operand.CS: "cs", Operand.LABEL: "label", Operand.CL: "cl"}
        ops = ", ".join(names[o] for o in self.operands)
        return f"{self.mnemonic} {ops}".strip()


R, I, M, C, S, L, CL = (Operand.REG, Operand.IMM, Operand.MEM, Operand.CR, Operand.CS,  # noqa: E741
                        Operand.LABEL, Operand.CL)
INN, PRIV, SENS, VIRT = IClass.INNOCUOUS, IClass.PRIVILEGED, IClass.SENSITIVE, IClass.VIRTUALIZATION

# Conditional jumps: (condition over the flags, summary en, summary ko). SF != OF is "less":
# OF sits four bits above SF, so `(ef ^ ef >> 4) & SF` is set exactly when they differ.
_LESS = "(ef ^ ef >> 4) & SF"
_CONDITIONAL_JUMPS = {
    "je": ("ef & ZF", "jump if equal (ZF=1)", "같으면(ZF=1) 점프"),
    "jz": ("ef & ZF", "jump if zero (ZF=1)", "0이면(ZF=1) 점프"),
    "jne": ("not ef & ZF", "jump if not equal (ZF=0)", "다르면(ZF=0) 점프"),
    "jnz": ("not ef & ZF", "jump if not zero (ZF=0)", "0이 아니면(ZF=0) 점프"),
    "jl": (_LESS, "jump if less, signed (SF≠OF)", "부호 있는 비교에서 작으면(SF≠OF) 점프"),
    "jle": (f"ef & ZF or {_LESS}", "jump if less or equal, signed (ZF=1 or SF≠OF)",
            "부호 있는 비교에서 작거나 같으면(ZF=1 또는 SF≠OF) 점프"),
    "jg": (f"not (ef & ZF or {_LESS})", "jump if greater, signed (ZF=0 and SF=OF)",
           "부호 있는 비교에서 크면(ZF=0이고 SF=OF) 점프"),
    "jge": (f"not {_LESS}", "jump if greater or equal, signed (SF=OF)",
            "부호 있는 비교에서 크거나 같으면(SF=OF) 점프"),
    "jb": ("ef & CF", "jump if below, unsigned (CF=1)", "부호 없는 비교에서 작으면(CF=1) 점프"),
    "jae": ("not ef & CF", "jump if above or equal, unsigned (CF=0)",
            "부호 없는 비교에서 크거나 같으면(CF=0) 점프"),
    "ja": ("not ef & CF_OR_ZF", "jump if above, unsigned (CF=0 and ZF=0)",
           "부호 없는 비교에서 크면(CF=0이고 ZF=0) 점프"),
    "jbe": ("ef & CF_OR_ZF", "jump if below or equal, unsigned (CF=1 or ZF=1)",
            "부호 없는 비교에서 작거나 같으면(CF=1 또는 ZF=1) 점프"),
    "js": ("ef & SF", "jump if negative (SF=1)", "음수이면(SF=1) 점프"),
    "jns": ("not ef & SF", "jump if not negative (SF=0)", "음수가 아니면(SF=0) 점프"),
    "jo": ("ef & OF", "jump if signed overflow (OF=1)", "부호 있는 오버플로이면(OF=1) 점프"),
    "jno": ("not ef & OF", "jump if no signed overflow (OF=0)", "부호 있는 오버플로가 없으면(OF=0) 점프"),
}


def _shift(body: str) -> str:
    """A shift or rotate by b (an immediate or cl): the count is masked to five bits, as on x86;
    a count of 0 changes nothing, not even the flags."""
    return "n = b & 31\nif n:\n" + "".join(f"    {line}\n" for line in body.split("; "))


_ALU3 = ((R, R), (R, I), (R, M))
_SHIFTS = ((R, I), (R, CL))

# (mnemonic, operand forms, class, cost key, definition, summary en, summary ko[, memory width])
_SPEC: list[tuple] = [
    # --- innocuous: run directly on any ring, same result everywhere
    ("mov", ((R, R), (R, I), (R, M), (M, R)), INN, "mov", "a = b",
     "copy a register, an immediate or a 32-bit memory word", "레지스터·즉시값·메모리 워드(32비트)를 복사"),
    ("movb", ((R, M), (M, R)), INN, "mov", "a = b",
     "load a byte (zero-extended) or store a register's low byte", "바이트를 읽어 0으로 확장하거나, 레지스터의 하위 바이트를 저장", 8),
    ("lea", ((R, M),), INN, "alu", "a = ea",
     "load the memory operand's address (no memory access, flags unchanged)",
     "메모리 피연산자의 주소를 넣음(메모리는 읽지 않고 플래그도 그대로)"),
    ("xchg", ((R, R), (R, M)), INN, "mov", "t = b\nb = a\na = t",
     "exchange two registers, or a register and a memory word", "두 레지스터, 또는 레지스터와 메모리 워드를 맞바꿈"),
    ("add", _ALU3, INN, "alu", "t = a + b\nflags_add(a, b, t)\na = t & M",
     "add; sets CF ZF SF OF", "덧셈; CF ZF SF OF 설정"),
    ("adc", _ALU3, INN, "alu", "t = a + b + (ef & CF)\nflags_add(a, b, t)\na = t & M",
     "add with carry (a + b + CF); sets CF ZF SF OF", "올림수까지 더함(a + b + CF); CF ZF SF OF 설정"),
    ("sub", _ALU3, INN, "alu", "t = a - b\nflags_sub(a, b, t)\na = t & M",
     "subtract; sets CF ZF SF OF", "뺄셈; CF ZF SF OF 설정"),
    ("sbb", _ALU3, INN, "alu", "t = a - b - (ef & CF)\nflags_sub(a, b, t)\na = t & M",
     "subtract with borrow (a - b - CF); sets CF ZF SF OF", "빌림수까지 뺌(a - b - CF); CF ZF SF OF 설정"),
    ("and", _ALU3, INN, "alu", "r = a & b\nflags_logic(r)\na = r",
     "bitwise and; clears CF OF", "비트 AND; CF OF는 0"),
    ("or", _ALU3, INN, "alu", "r = a | b\nflags_logic(r)\na = r",
     "bitwise or; clears CF OF", "비트 OR; CF OF는 0"),
    ("xor", _ALU3, INN, "alu", "r = a ^ b\nflags_logic(r)\na = r",
     "bitwise exclusive or; clears CF OF", "비트 XOR; CF OF는 0"),
    ("cmp", _ALU3, INN, "alu", "t = a - b\nflags_sub(a, b, t)",
     "compare: subtract for the flags only", "비교: 플래그만 남기는 뺄셈"),
    ("test", _ALU3, INN, "alu", "r = a & b\nflags_logic(r)", "and for the flags only",
     "플래그만 남기는 AND"),
    ("imul", ((R, R), (R, I)), INN, "mul",
     "t = signed(a) * signed(b)\nr = t & M\nflags_mul(t != signed(r), r)\na = r",
     "signed multiply (low 32 bits); CF=OF=overflow", "부호 있는 곱셈(하위 32비트); 넘치면 CF=OF=1"),
    ("mul", ((R,),), INN, "mul", "t = eax * a\nflags_mul(t > M, t & M)\neax = t & M\nedx = t >> 32",
     "unsigned multiply: edx:eax = eax × r; CF=OF=(edx ≠ 0)",
     "부호 없는 곱셈: edx:eax = eax × r; edx가 0이 아니면 CF=OF=1"),
    ("div", ((R,),), INN, "div",
     "n = edx << 32 | eax\nif a == 0 or n // a > M:\n    fault(VEC_DE)\neax, edx = divmod(n, a)",
     "unsigned divide edx:eax by r: quotient to eax, remainder to edx; #DE on 0 or a quotient "
     "over 32 bits", "edx:eax를 r로 부호 없이 나눔: 몫은 eax, 나머지는 edx; 0으로 나누거나 몫이 32비트를 넘으면 #DE"),
    ("idiv", ((R,),), INN, "div",
     "n = signed64(edx << 32 | eax)\nd = signed(a)\nif d == 0:\n    fault(VEC_DE)\n"
     "q, m = sdivmod(n, d)\nif not -SIGN <= q < SIGN:\n    fault(VEC_DE)\neax = q & M\nedx = m & M",
     "signed divide edx:eax by r (quotient rounded toward zero); #DE on 0 or overflow",
     "edx:eax를 r로 부호 있게 나눔(몫은 0 쪽으로 버림); 0으로 나누거나 넘치면 #DE"),
    ("cdq", ((),), INN, "alu", "edx = -(eax >> 31) & M",
     "sign-extend eax into edx (before idiv)", "eax의 부호를 edx로 확장(idiv 전에)"),
    ("inc", ((R,),), INN, "alu", "r = a + 1 & M\nflags_inc(a, r)\na = r",
     "add one (CF unchanged)", "1 증가(CF는 그대로)"),
    ("dec", ((R,),), INN, "alu", "r = a - 1 & M\nflags_dec(a, r)\na = r",
     "subtract one (CF unchanged)", "1 감소(CF는 그대로)"),
    ("neg", ((R,),), INN, "alu", "r = -a & M\nflags_neg(a, r)\na = r",
     "two's-complement negate", "2의 보수로 부호 반전"),
    ("not", ((R,),), INN, "alu", "a = ~a & M", "bitwise not (flags unchanged)", "비트 반전(플래그는 그대로)"),
    ("shl", _SHIFTS, INN, "alu", _shift("r = a << n & M; flags_shl(a, n, r); a = r"),
     "shift left by imm or cl (mod 32); CF = last bit out", "imm이나 cl만큼 왼쪽 시프트(32로 나눈 나머지); CF = 마지막으로 밀려난 비트"),
    ("shr", _SHIFTS, INN, "alu", _shift("r = a >> n; flags_shr(a, n, r); a = r"),
     "logical shift right by imm or cl; CF = last bit out", "imm이나 cl만큼 논리 오른쪽 시프트; CF = 마지막으로 밀려난 비트"),
    ("sar", _SHIFTS, INN, "alu", _shift("r = signed(a) >> n & M; flags_sar(a, n, r); a = r"),
     "arithmetic shift right (copies the sign bit); CF = last bit out",
     "산술 오른쪽 시프트(부호 비트를 채움); CF = 마지막으로 밀려난 비트"),
    ("rol", _SHIFTS, INN, "alu", _shift("r = (a << n | a >> 32 - n) & M; flags_rol(r); a = r"),
     "rotate left; CF = the bit that came round; ZF SF unchanged",
     "왼쪽으로 회전; CF = 돌아 들어온 비트; ZF SF는 그대로"),
    ("ror", _SHIFTS, INN, "alu", _shift("r = (a >> n | a << 32 - n) & M; flags_ror(r); a = r"),
     "rotate right; CF = the bit that came round; ZF SF unchanged",
     "오른쪽으로 회전; CF = 돌아 들어온 비트; ZF SF는 그대로"),
    ("push", ((R,), (I,)), INN, "push", "push(a)", "push a word onto the stack", "스택에 워드를 넣음"),
    ("pop", ((R,),), INN, "pop", "a = pop()", "pop a word from the stack", "스택에서 워드를 꺼냄"),
    ("jmp", ((L,), (R,)), INN, "branch", "jump(a)",
     "jump to a label or to the address in a register", "레이블이나 레지스터의 주소로 점프"),
    ("call", ((L,), (R,)), INN, "call", "call(a)", "push the return address and jump", "복귀 주소를 넣고 점프"),
    ("ret", ((),), INN, "ret", "jump(pop())", "pop the return address and jump to it", "복귀 주소를 꺼내 그곳으로 점프"),
    *[(m, ((L,),), INN, "branch", f"branch({cond}, a)", en, ko) for m, (cond, en, ko) in _CONDITIONAL_JUMPS.items()],
    ("loop", ((L,),), INN, "branch", "ecx = ecx - 1 & M\nbranch(ecx, a)",
     "decrement ecx; jump if it is not zero", "ecx를 1 줄이고 0이 아니면 점프"),
    ("nop", ((),), INN, "nop", "pass", "do nothing", "아무 일도 하지 않음"),
    ("int", ((I,),), INN, "int", "cpu.software_interrupt(a & 0xFF)",
     "software interrupt through the IDT; #GP if the entry forbids the caller's CPL",
     "IDT를 거치는 소프트웨어 인터럽트; 호출자의 CPL이 허용되지 않으면 #GP"),
    # --- privileged: ring 0 only, #GP elsewhere
    ("cli", ((),), PRIV, "cli", "ef = ef & NOT_IF", "clear IF: disable interrupts", "IF를 0으로: 인터럽트 끄기"),
    ("sti", ((),), PRIV, "sti", "ef = ef | IF", "set IF: enable interrupts", "IF를 1로: 인터럽트 켜기"),
    ("hlt", ((),), PRIV, "hlt", "cpu.halt()", "wait for the next interrupt (stops the machine if IF=0)",
     "다음 인터럽트까지 대기(IF=0이면 기계 정지)"),
    ("in", ((R, I),), PRIV, "io", "a = cpu.port_in(b & 0xFFFF)", "read a device port", "장치 포트 읽기"),
    ("out", ((I, R),), PRIV, "io", "cpu.port_out(a & 0xFFFF, b)", "write a device port", "장치 포트 쓰기"),
    ("mov", ((C, R),), PRIV, "mov_cr", "a = b", "write a control register (cr3 load flushes the TLB)",
     "제어 레지스터 쓰기(cr3를 쓰면 TLB 비움)"),
    ("mov", ((R, C),), PRIV, "mov_cr", "a = b", "read a control register", "제어 레지스터 읽기"),
    ("lidt", ((M,),), PRIV, "ldt", "cpu.idtr = (load32(ea), load32(ea + 4 & M))",
     "load IDTR from [m] (base, limit)", "[m]에서 IDTR(base, limit) 적재"),
    ("lgdt", ((M,),), PRIV, "ldt", "cpu.gdtr = (load32(ea), load32(ea + 4 & M))",
     "load GDTR from [m] (base, limit)", "[m]에서 GDTR(base, limit) 적재"),
    ("invlpg", ((M,),), PRIV, "invlpg", "cpu.invlpg(ea)", "drop the TLB entry for the page of address m",
     "주소 m이 속한 페이지의 TLB 항목 제거"),
    ("rdmsr", ((),), PRIV, "msr", "v = cpu.read_msr(ecx)\neax = v & M\nedx = v >> 32 & M",
     "read MSR[ecx] into edx:eax", "MSR[ecx]를 edx:eax로 읽기"),
    ("wrmsr", ((),), PRIV, "msr", "cpu.write_msr(ecx, edx << 32 | eax)",
     "write edx:eax into MSR[ecx]", "edx:eax를 MSR[ecx]에 쓰기"),
    # --- sensitive but unprivileged: the x86 holes (Robin & Irvine 2000)
    ("iret", ((),), SENS, "iret", "cpu.interrupt_return()",
     "return from an interrupt: pop eip, cs, eflags, esp; #GP to a more privileged ring; at "
     "CPL>0 a change of IF is silently ignored",
     "인터럽트에서 복귀: eip, cs, eflags, esp를 꺼냄; 더 높은 특권 링으로는 #GP; CPL>0이면 IF 변경은 조용히 무시됨"),
    ("pushf", ((),), SENS, "pushf", "push(ef | FLAGS_ALWAYS_ONE)",
     "push EFLAGS (shows the real IF)", "EFLAGS를 넣음(실제 IF가 보임)"),
    ("popf", ((),), SENS, "popf", "ef = load_flags(ef, pop(), cpu.cpl)",
     "pop EFLAGS; at CPL>0 a change of IF is silently ignored", "EFLAGS를 꺼냄; CPL>0이면 IF 변경은 조용히 무시됨"),
    ("sgdt", ((M,),), SENS, "sdt", "store32(ea, cpu.gdtr[0])\nstore32(ea + 4 & M, cpu.gdtr[1])",
     "store GDTR (base, limit) to [m] at any ring", "어느 링에서든 GDTR(base, limit)을 [m]에 저장"),
    ("sidt", ((M,),), SENS, "sdt", "store32(ea, cpu.idtr[0])\nstore32(ea + 4 & M, cpu.idtr[1])",
     "store IDTR (base, limit) to [m] at any ring", "어느 링에서든 IDTR(base, limit)을 [m]에 저장"),
    ("smsw", ((R,),), SENS, "smsw", "a = cpu.cr0 & 0xFFFF",
     "read the low 16 bits of cr0 at any ring", "어느 링에서든 cr0의 하위 16비트를 읽음"),
    ("mov", ((R, S),), SENS, "mov", "a = b", "read cs, whose low two bits are the CPL", "cs 읽기: 하위 2비트가 CPL"),
    # --- virtualization
    ("cpuid", ((),), VIRT, "cpuid", "cpu.cpuid()",
     "CPU identification; leaf 1 ecx bit 31 = hypervisor present", "CPU 식별; leaf 1의 ecx 31번 비트 = 하이퍼바이저 있음"),
    ("rdtsc", ((),), VIRT, "rdtsc", "eax = cpu.cycles & M\nedx = cpu.cycles >> 32 & M",
     "read the cycle counter into edx:eax", "사이클 카운터를 edx:eax로 읽기"),
    ("vmcall", ((),), VIRT, "vmcall", "fault(VEC_UD)",
     "hypercall: eax = number, ebx/ecx/edx = arguments; #UD without a hypervisor",
     "하이퍼콜: eax = 번호, ebx/ecx/edx = 인자; 하이퍼바이저가 없으면 #UD"),
]


def _build_rows() -> tuple[Row, ...]:
    rows: list[Row] = []
    for mnemonic, forms, iclass, cost_key, definition, en, ko, *width in _SPEC:
        for form in forms:
            rows.append(Row(len(rows), mnemonic, form, iclass, cost_key, en, ko, definition,
                            *width))
    return tuple(rows)


ROWS: tuple[Row, ...] = _build_rows()
assert len(ROWS) < 256, "opcodes are one byte"

BY_MNEMONIC: dict[str, list[Row]] = {}
for _row in ROWS:
    BY_MNEMONIC.setdefault(_row.mnemonic, []).append(_row)
COST_KEYS = frozenset(row.cost_key for row in ROWS)


def find_row(mnemonic: str, operands: tuple[Operand, ...]) -> Row | None:
    """The row for a mnemonic with these operand kinds (an IMM may stand where a LABEL is wanted)."""
    for row in BY_MNEMONIC.get(mnemonic, ()):
        if len(row.operands) == len(operands) and all(
            want == got or (want is Operand.LABEL and got is Operand.IMM)
            for want, got in zip(row.operands, operands, strict=True)
        ):
            return row
    return None


def cs_selector(cpl: int) -> int:
    """The cs value at a privilege level: 8·(CPL+1) | CPL, so its low two bits are the CPL."""
    return 8 * (cpl + 1) | cpl
