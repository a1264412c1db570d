"""The VQ32 instruction table: every instruction declared once (SPEC §3).

The assembler, the disassembler, the CPU, docs/isa.md and the GUI's instruction help all read this
table. One row is one *form* of a mnemonic (``mov r, imm`` and ``mov cr3, r`` are different rows),
because the class — innocuous, privileged, sensitive — belongs to the form, not to the mnemonic.

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

REGISTERS = ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi")
REG_INDEX = {name: i for i, name in enumerate(REGISTERS)}
CONTROL_REGISTERS = (0, 2, 3, 8)

# EFLAGS bit positions, as on x86 (pushf/popf see them here).
CF, ZF, SF, IF, OF = 1 << 0, 1 << 6, 1 << 7, 1 << 9, 1 << 11
FLAGS_ALWAYS_ONE = 1 << 1
FLAGS_WRITABLE = CF | ZF | SF | IF | OF

# Exception and interrupt vectors.
VEC_DE, VEC_UD, VEC_GP, VEC_PF, VEC_TIMER, VEC_SYSCALL = 0, 6, 13, 14, 32, 0x80
VECTOR_NAMES = {VEC_DE: "#DE divide error", VEC_UD: "#UD invalid opcode",
                VEC_GP: "#GP general protection", VEC_PF: "#PF page fault",
                VEC_TIMER: "timer interrupt", VEC_SYSCALL: "system call"}

MSR_TSC = 0x10
MSR_KERNEL_ESP = 0x175  # as x86's SYSENTER_ESP: the stack a trap into ring 0 starts on


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

    @property
    def privileged(self) -> bool:
        return self.iclass is IClass.PRIVILEGED

    @functools.cached_property
    def syntax(self) -> str:
        names = {Operand.REG: "r", Operand.IMM: "imm", Operand.MEM: "[m]", Operand.CR: "crN",
                 Operand.CS: "cs", Operand.LABEL: "label", Operand.CL: "cl"}
        ops = ", ".join(names[o] for o in self.operands)
        return f"{self.mnemonic} {ops}".strip()


R, I, M, C, S, L = Operand.REG, Operand.IMM, Operand.MEM, Operand.CR, Operand.CS, Operand.LABEL  # noqa: E741
INN, PRIV, SENS, VIRT = IClass.INNOCUOUS, IClass.PRIVILEGED, IClass.SENSITIVE, IClass.VIRTUALIZATION

# (mnemonic, operand forms, class, cost key, summary en, summary ko). A form is a tuple of operands.
_ALU3 = ((R, R), (R, I), (R, M))
_JCC = {
    "je": ("jump if equal (ZF=1)", "같으면(ZF=1) 점프"),
    "jz": ("jump if zero (ZF=1)", "0이면(ZF=1) 점프"),
    "jne": ("jump if not equal (ZF=0)", "다르면(ZF=0) 점프"),
    "jnz": ("jump if not zero (ZF=0)", "0이 아니면(ZF=0) 점프"),
    "jl": ("jump if less, signed (SF≠OF)", "부호 있는 비교에서 작으면(SF≠OF) 점프"),
    "jle": ("jump if less or equal, signed", "부호 있는 비교에서 작거나 같으면 점프"),
    "jg": ("jump if greater, signed", "부호 있는 비교에서 크면 점프"),
    "jge": ("jump if greater or equal, signed (SF=OF)", "부호 있는 비교에서 크거나 같으면 점프"),
    "jb": ("jump if below, unsigned (CF=1)", "부호 없는 비교에서 작으면(CF=1) 점프"),
    "jae": ("jump if above or equal, unsigned (CF=0)", "부호 없는 비교에서 크거나 같으면(CF=0) 점프"),
}

_SPEC: list[tuple[str, tuple[tuple[Operand, ...], ...], IClass, str, str, str]] = [
    # --- innocuous: run directly on any ring, same result everywhere
    ("mov", ((R, R), (R, I), (R, M), (M, R)), INN, "mov",
     "copy a register, an immediate or a 32-bit memory word", "레지스터·즉시값·메모리 워드(32비트)를 복사"),
    ("movb", ((R, M), (M, R)), INN, "mov",
     "load a byte (zero-extended) or store a register's low byte", "바이트를 읽어 0으로 확장하거나, 레지스터의 하위 바이트를 저장"),
    ("add", _ALU3, INN, "alu", "add; sets CF ZF SF OF", "덧셈; CF ZF SF OF 설정"),
    ("sub", _ALU3, INN, "alu", "subtract; sets CF ZF SF OF", "뺄셈; CF ZF SF OF 설정"),
    ("and", _ALU3, INN, "alu", "bitwise and; clears CF OF", "비트 AND; CF OF는 0"),
    ("or", _ALU3, INN, "alu", "bitwise or; clears CF OF", "비트 OR; CF OF는 0"),
    ("xor", _ALU3, INN, "alu", "bitwise exclusive or; clears CF OF", "비트 XOR; CF OF는 0"),
    ("cmp", _ALU3, INN, "alu", "compare: subtract for the flags only", "비교: 플래그만 남기는 뺄셈"),
    ("test", _ALU3, INN, "alu", "and for the flags only", "플래그만 남기는 AND"),
    ("imul", ((R, R), (R, I)), INN, "mul", "signed multiply (low 32 bits); CF=OF=overflow",
     "부호 있는 곱셈(하위 32비트); 넘치면 CF=OF=1"),
    ("div", ((R,),), INN, "div", "unsigned divide eax by r: quotient to eax, remainder to edx; #DE on 0",
     "eax를 r로 부호 없이 나눔: 몫은 eax, 나머지는 edx; 0으로 나누면 #DE"),
    ("inc", ((R,),), INN, "alu", "add one (CF unchanged)", "1 증가(CF는 그대로)"),
    ("dec", ((R,),), INN, "alu", "subtract one (CF unchanged)", "1 감소(CF는 그대로)"),
    ("neg", ((R,),), INN, "alu", "two's-complement negate", "2의 보수로 부호 반전"),
    ("not", ((R,),), INN, "alu", "bitwise not (flags unchanged)", "비트 반전(플래그는 그대로)"),
    ("shl", ((R, I),), INN, "alu", "shift left by imm; CF = last bit out", "imm만큼 왼쪽 시프트; CF = 마지막으로 밀려난 비트"),
    ("shr", ((R, I),), INN, "alu", "logical shift right by imm; CF = last bit out", "imm만큼 논리 오른쪽 시프트; CF = 마지막으로 밀려난 비트"),
    ("push", ((R,), (I,)), INN, "push", "push a word onto the stack", "스택에 워드를 넣음"),
    ("pop", ((R,),), INN, "pop", "pop a word from the stack", "스택에서 워드를 꺼냄"),
    ("jmp", ((L,), (R,)), INN, "branch", "jump to a label or to the address in a register", "레이블이나 레지스터의 주소로 점프"),
    ("call", ((L,), (R,)), INN, "call", "push the return address and jump", "복귀 주소를 넣고 점프"),
    ("ret", ((),), INN, "ret", "pop the return address and jump to it", "복귀 주소를 꺼내 그곳으로 점프"),
    *[(m, ((L,),), INN, "branch", en, ko) for m, (en, ko) in _JCC.items()],
    ("loop", ((L,),), INN, "branch", "decrement ecx; jump if it is not zero", "ecx를 1 줄이고 0이 아니면 점프"),
    ("nop", ((),), INN, "nop", "do nothing", "아무 일도 하지 않음"),
    ("int", ((I,),), INN, "int",
     "software interrupt through the IDT; #GP if the entry forbids the caller's CPL",
     "IDT를 거치는 소프트웨어 인터럽트; 호출자의 CPL이 허용되지 않으면 #GP"),
    # --- privileged: ring 0 only, #GP elsewhere
    ("cli", ((),), PRIV, "cli", "clear IF: disable interrupts", "IF를 0으로: 인터럽트 끄기"),
    ("sti", ((),), PRIV, "sti", "set IF: enable interrupts", "IF를 1로: 인터럽트 켜기"),
    ("hlt", ((),), PRIV, "hlt", "wait for the next interrupt (stops the machine if IF=0)",
     "다음 인터럽트까지 대기(IF=0이면 기계 정지)"),
    ("in", ((R, I),), PRIV, "io", "read a device port", "장치 포트 읽기"),
    ("out", ((I, R),), PRIV, "io", "write a device port", "장치 포트 쓰기"),
    ("mov", ((C, R),), PRIV, "mov_cr", "write a control register (cr3 load flushes the TLB)",
     "제어 레지스터 쓰기(cr3를 쓰면 TLB 비움)"),
    ("mov", ((R, C),), PRIV, "mov_cr", "read a control register", "제어 레지스터 읽기"),
    ("lidt", ((M,),), PRIV, "ldt", "load IDTR from [m] (base, limit)", "[m]에서 IDTR(base, limit) 적재"),
    ("lgdt", ((M,),), PRIV, "ldt", "load GDTR from [m] (base, limit)", "[m]에서 GDTR(base, limit) 적재"),
    ("invlpg", ((M,),), PRIV, "invlpg", "drop the TLB entry for the page of address m",
     "주소 m이 속한 페이지의 TLB 항목 제거"),
    ("iret", ((),), PRIV, "iret", "return from an interrupt: pop eip, cs, eflags, esp",
     "인터럽트에서 복귀: eip, cs, eflags, esp를 꺼냄"),
    ("rdmsr", ((),), PRIV, "msr", "read MSR[ecx] into edx:eax", "MSR[ecx]를 edx:eax로 읽기"),
    ("wrmsr", ((),), PRIV, "msr", "write edx:eax into MSR[ecx]", "edx:eax를 MSR[ecx]에 쓰기"),
    # --- sensitive but unprivileged: the x86 holes (Robin & Irvine 2000)
    ("pushf", ((),), SENS, "pushf", "push EFLAGS (shows the real IF)", "EFLAGS를 넣음(실제 IF가 보임)"),
    ("popf", ((),), SENS, "popf", "pop EFLAGS; at CPL>0 a change of IF is silently ignored",
     "EFLAGS를 꺼냄; CPL>0이면 IF 변경은 조용히 무시됨"),
    ("sgdt", ((M,),), SENS, "sdt", "store GDTR (base, limit) to [m] at any ring",
     "어느 링에서든 GDTR(base, limit)을 [m]에 저장"),
    ("sidt", ((M,),), SENS, "sdt", "store IDTR (base, limit) to [m] at any ring",
     "어느 링에서든 IDTR(base, limit)을 [m]에 저장"),
    ("smsw", ((R,),), SENS, "smsw", "read the low 16 bits of cr0 at any ring", "어느 링에서든 cr0의 하위 16비트를 읽음"),
    ("mov", ((R, S),), SENS, "mov", "read cs, whose low two bits are the CPL", "cs 읽기: 하위 2비트가 CPL"),
    # --- virtualization
    ("cpuid", ((),), VIRT, "cpuid", "CPU identification; leaf 1 ecx bit 31 = hypervisor present",
     "CPU 식별; leaf 1의 ecx 31번 비트 = 하이퍼바이저 있음"),
    ("rdtsc", ((),), VIRT, "rdtsc", "read the cycle counter into edx:eax", "사이클 카운터를 edx:eax로 읽기"),
    ("vmcall", ((),), VIRT, "vmcall", "hypercall: eax = number, ebx/ecx/edx = arguments; #UD without a hypervisor",
     "하이퍼콜: eax = 번호, ebx/ecx/edx = 인자; 하이퍼바이저가 없으면 #UD"),
]


def _build_rows() -> tuple[Row, ...]:
    rows: list[Row] = []
    for mnemonic, forms, iclass, cost_key, en, ko in _SPEC:
        for form in forms:
            rows.append(Row(len(rows), mnemonic, form, iclass, cost_key, en, ko))
    return tuple(rows)


ROWS: tuple[Row, ...] = _build_rows()
assert len(ROWS) < 256, "opcodes are one byte"

BY_MNEMONIC: dict[str, list[Row]] = {}
for _row in ROWS:
    BY_MNEMONIC.setdefault(_row.mnemonic, []).append(_row)
MNEMONICS = frozenset(BY_MNEMONIC)
COST_KEYS = frozenset(row.cost_key for row in ROWS)
CONDITIONAL_JUMPS = frozenset(_JCC) | {"loop"}
# Instructions after which control does not simply fall through (they end a basic block).
BLOCK_ENDERS = frozenset({"jmp", "call", "ret", "int", "iret", "hlt", "vmcall", "loop",
                          *CONDITIONAL_JUMPS})


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
