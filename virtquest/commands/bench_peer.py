"""A peer for `virtquest bench`: py65, a pure-Python 6502 emulator, run on 6502 programs of several
shapes in the same run as our emulator, so our guest MIPS can be set beside another interpreter's.

Each program stops at a BRK that it never executes (py65's monitor stops there too), and its result
is checked against plain Python doing the same algorithm before its time is kept.  py65 is a test
extra, never a runtime dependency: without it `peer_py65` returns None."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

CODE = 0x0200        # every program is loaded here and starts here
SORT_ARRAY = 0x3000  # the bubble sort's bytes
SUM_DATA = 0x1000    # the memory sum's first page
M16 = 0xFFFF


class PeerMismatch(RuntimeError):
    """A peer program's result disagreed with plain Python: its time would measure a wrong run."""


def _byte(value: int, low: int = 1, high: int = 255) -> int:
    """A size poked into one byte of memory: out of range it would silently wrap."""
    if not low <= value <= high:
        raise ValueError(f"size {value} does not fit the program's byte ({low}..{high})")
    return value


@dataclass(frozen=True)
class Program:
    name: str
    code: bytes
    sizes: tuple[int, int]                      # (short run, full run)
    quick_sizes: tuple[int, int]                # the same for a smoke test
    prepare: Callable[[list[int], int], None]   # poke the size's inputs into memory
    result: Callable[[object], object]          # read the result from the MPU
    reference: Callable[[int], object]          # plain Python: the expected result


# (a) 16-bit xorshift (x ^= x<<7; x ^= x>>9; x ^= x<<8), summed; $14 outer rounds of $15 steps.
#   x in $10/$11 (lo/hi), sum in $12/$13.
XORSHIFT = bytes([
    0xA6, 0x15,        # 0200 outer: LDX $15
    0xA5, 0x11,        # 0202 loop:  LDA $11      ; C = hi & 1
    0x4A,              # 0204        LSR A
    0xA5, 0x10,        # 0205        LDA $10
    0x6A,              # 0207        ROR A        ; A = (hi&1)<<7 | lo>>1, C = lo & 1
    0x45, 0x11,        # 0208        EOR $11
    0x85, 0x11,        # 020A        STA $11      ; hi of x ^= x<<7
    0xA9, 0x00,        # 020C        LDA #$00
    0x6A,              # 020E        ROR A        ; A = (lo&1)<<7
    0x45, 0x10,        # 020F        EOR $10
    0x85, 0x10,        # 0211        STA $10      ; lo of x ^= x<<7
    0xA5, 0x11,        # 0213        LDA $11
    0x4A,              # 0215        LSR A
    0x45, 0x10,        # 0216        EOR $10
    0x85, 0x10,        # 0218        STA $10      ; x ^= x>>9
    0x45, 0x11,        # 021A        EOR $11
    0x85, 0x11,        # 021C        STA $11      ; x ^= x<<8
    0x18,              # 021E        CLC
    0xA5, 0x10,        # 021F        LDA $10
    0x65, 0x12,        # 0221        ADC $12
    0x85, 0x12,        # 0223        STA $12
    0xA5, 0x11,        # 0225        LDA $11
    0x65, 0x13,        # 0227        ADC $13
    0x85, 0x13,        # 0229        STA $13      ; sum += x
    0xCA,              # 022B        DEX
    0xD0, 0xD4,        # 022C        BNE loop
    0xC6, 0x14,        # 022E        DEC $14
    0xD0, 0xCE,        # 0230        BNE outer
    0x00,              # 0232        BRK
])
XORSHIFT_SEED, XORSHIFT_STEPS = 0x7A3D, 64


def _xorshift_prepare(mem: list[int], rounds: int) -> None:
    mem[0x10:0x16] = [XORSHIFT_SEED & 0xFF, XORSHIFT_SEED >> 8, 0, 0, _byte(rounds), XORSHIFT_STEPS]


def _xorshift_reference(rounds: int) -> tuple[int, int]:
    x, total = XORSHIFT_SEED, 0
    for _ in range(rounds * XORSHIFT_STEPS):
        x ^= (x << 7) & M16
        x ^= x >> 9
        x ^= (x << 8) & M16
        total = (total + x) & M16
    return x, total


# (b) 24-bit sum of the bytes of $22 pages from $1000, through the pointer $20/$21 as (zp),Y.
#   sum in $23/$24/$25.
MEMSUM = bytes([
    0xA0, 0x00,        # 0200       LDY #$00
    0xB1, 0x20,        # 0202 loop: LDA ($20),Y
    0x18,              # 0204       CLC
    0x65, 0x23,        # 0205       ADC $23
    0x85, 0x23,        # 0207       STA $23
    0x90, 0x06,        # 0209       BCC skip
    0xE6, 0x24,        # 020B       INC $24
    0xD0, 0x02,        # 020D       BNE skip
    0xE6, 0x25,        # 020F       INC $25
    0xC8,              # 0211 skip: INY
    0xD0, 0xEE,        # 0212       BNE loop
    0xE6, 0x21,        # 0214       INC $21      ; next page
    0xC6, 0x22,        # 0216       DEC $22
    0xD0, 0xE8,        # 0218       BNE loop
    0x00,              # 021A       BRK
])


def _memsum_data(pages: int) -> list[int]:
    rng = random.Random(6502)
    return [rng.randrange(256) for _ in range(pages * 256)]


def _memsum_prepare(mem: list[int], pages: int) -> None:
    mem[0x20:0x26] = [SUM_DATA & 0xFF, SUM_DATA >> 8, _byte(pages, 1, 0xF0), 0, 0, 0]
    mem[SUM_DATA:SUM_DATA + pages * 256] = _memsum_data(pages)


# (c) Bubble sort of the $30 bytes (2..255) at $3000, passes until one makes no swap ($31 flag).
BUBBLE = bytes([
    0xA9, 0x00,        # 0200 pass:   LDA #$00
    0x85, 0x31,        # 0202         STA $31      ; no swap yet
    0xA6, 0x30,        # 0204         LDX $30
    0xCA,              # 0206         DEX          ; n-1 comparisons
    0xA0, 0x00,        # 0207         LDY #$00
    0xB9, 0x00, 0x30,  # 0209 inner:  LDA $3000,Y
    0xD9, 0x01, 0x30,  # 020C         CMP $3001,Y
    0x90, 0x11,        # 020F         BCC noswap   ; a[y] < a[y+1]
    0xF0, 0x0F,        # 0211         BEQ noswap   ; a[y] = a[y+1]
    0x48,              # 0213         PHA
    0xB9, 0x01, 0x30,  # 0214         LDA $3001,Y
    0x99, 0x00, 0x30,  # 0217         STA $3000,Y
    0x68,              # 021A         PLA
    0x99, 0x01, 0x30,  # 021B         STA $3001,Y
    0xA9, 0x01,        # 021E         LDA #$01
    0x85, 0x31,        # 0220         STA $31      ; swapped
    0xC8,              # 0222 noswap: INY
    0xCA,              # 0223         DEX
    0xD0, 0xE3,        # 0224         BNE inner
    0xA5, 0x31,        # 0226         LDA $31
    0xD0, 0xD6,        # 0228         BNE pass
    0x00,              # 022A         BRK
])


def _bubble_data(n: int) -> list[int]:
    rng = random.Random(n)
    return [rng.randrange(256) for _ in range(n)]


def _bubble_prepare(mem: list[int], n: int) -> None:
    mem[0x30:0x32] = [_byte(n, 2), 0]
    mem[SORT_ARRAY:SORT_ARRAY + n] = _bubble_data(n)


# (d) Naive recursive Fibonacci: fib(n) adds n to $40/$41 when n < 2, else calls fib(n-1) and
#   fib(n-2), keeping n-1 on the stack across the first call; n in $42.
FIB = bytes([
    0xA5, 0x42,        # 0200 main: LDA $42
    0x20, 0x06, 0x02,  # 0202       JSR fib
    0x00,              # 0205       BRK
    0xC9, 0x02,        # 0206 fib:  CMP #$02
    0xB0, 0x0A,        # 0208       BCS rec
    0x18,              # 020A       CLC
    0x65, 0x40,        # 020B       ADC $40
    0x85, 0x40,        # 020D       STA $40
    0x90, 0x02,        # 020F       BCC done
    0xE6, 0x41,        # 0211       INC $41
    0x60,              # 0213 done: RTS
    0x38,              # 0214 rec:  SEC
    0xE9, 0x01,        # 0215       SBC #$01
    0x48,              # 0217       PHA
    0x20, 0x06, 0x02,  # 0218       JSR fib      ; fib(n-1)
    0x68,              # 021B       PLA
    0x38,              # 021C       SEC
    0xE9, 0x01,        # 021D       SBC #$01
    0x20, 0x06, 0x02,  # 021F       JSR fib      ; fib(n-2)
    0x60,              # 0222       RTS
])


def _fib_reference(n: int) -> int:
    return n if n < 2 else (_fib_reference(n - 1) + _fib_reference(n - 2)) & M16


def _word(mpu, address: int) -> int:
    return mpu.memory[address] | mpu.memory[address + 1] << 8


def _bubble_result(mpu) -> list[int]:
    return list(mpu.memory[SORT_ARRAY:SORT_ARRAY + mpu.memory[0x30]])


def _fib_prepare(mem: list[int], n: int) -> None:
    mem[0x40:0x43] = [0, 0, _byte(n, 0, 30)]


PROGRAMS = (
    Program("xorshift16", XORSHIFT, (25, 250), (1, 3), _xorshift_prepare,
            lambda mpu: (_word(mpu, 0x10), _word(mpu, 0x12)), _xorshift_reference),
    Program("memsum (zp),Y", MEMSUM, (16, 160), (1, 2), _memsum_prepare,
            lambda mpu: _word(mpu, 0x23) | mpu.memory[0x25] << 16,
            lambda pages: sum(_memsum_data(pages)) & 0xFFFFFF),
    Program("bubble sort", BUBBLE, (60, 180), (6, 12), _bubble_prepare, _bubble_result,
            lambda n: sorted(_bubble_data(n))),
    Program("fib recursive", FIB, (16, 21), (5, 9), _fib_prepare, lambda mpu: _word(mpu, 0x40),
            _fib_reference),
)


def run_program(program: Program, size: int, mpu_class=None,
                budget: int = 50_000_000) -> tuple[int, float]:
    """One checked run of `program` at `size` on a fresh MPU: (instructions, seconds).  Steps until
    the next opcode is BRK, as py65's monitor does; raises PeerMismatch on a wrong result."""
    if mpu_class is None:
        from py65.devices.mpu6502 import MPU as mpu_class
    mpu = mpu_class(pc=CODE)
    mem = mpu.memory
    mem[CODE:CODE + len(program.code)] = program.code
    program.prepare(mem, size)
    step = mpu.step
    start = time.process_time()      # CPU time, as the emulator's rates (hv/bench.py)
    for count in range(1, budget + 1):  # noqa: B007 (the count is the result)
        step()
        if mem[mpu.pc] == 0x00:
            break
    else:
        raise PeerMismatch(f"{program.name} ({size}) did not reach its BRK in {budget} steps")
    seconds = time.process_time() - start
    got, want = program.result(mpu), program.reference(size)
    if got != want:
        raise PeerMismatch(f"{program.name} ({size}): py65 computed {got!r}, Python {want!r}")
    return count, seconds


def measure(program: Program, quick: bool = False, repeats: int = 3, mpu_class=None) -> dict:
    """The program's own rate: a short and a full run (best of `repeats` each), differenced so the
    set-up and the first steps drop out."""
    (short, full), repeats = (program.quick_sizes, 1) if quick else (program.sizes, repeats)
    runs = {}
    for size in (short, full):
        runs[size] = min((run_program(program, size, mpu_class) for _ in range(repeats)),
                         key=lambda run: run[1])
    instructions = runs[full][0] - runs[short][0]
    seconds = max(runs[full][1] - runs[short][1], 1e-9)
    return {"name": program.name, "instructions": instructions, "seconds": round(seconds, 6),
            "mips": round(instructions / seconds / 1e6, 4)}


def peer_py65(quick: bool = False) -> dict | None:
    """py65's instructions per second on each program, or None when py65 is not installed.
    `mips` is the median over the programs; `min_mips` and `max_mips` bound it."""
    try:
        from py65.devices.mpu6502 import MPU
    except ImportError:
        return None
    try:
        py65_version = version("py65")
    except PackageNotFoundError:  # an unpackaged py65 is still measured
        py65_version = None
    workloads = [measure(p, quick=quick, mpu_class=MPU) for p in PROGRAMS]
    rates = [w["mips"] for w in workloads]
    return {"name": "py65", "version": py65_version, "workloads": workloads,
            "mips": round(statistics.median(rates), 4), "min_mips": min(rates),
            "max_mips": max(rates)}
