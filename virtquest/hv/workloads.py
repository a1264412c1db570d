"""The user workloads of `virtquest bench`: complete guest programs of different shapes, each with
a plain-Python reference of the same algorithm that gives the exit code a correct run must end
with.

Each program lives in assets/programs/bench/NAME.s and takes its sizes as `.equ` constants, given
here at three sizes: `quick` (a smoke test, and what the co-simulation tests run), `short` and
`full`. The bench runs `short` and `full` and divides the difference in instructions by the
difference in time, so boot, the first compilation of each block and the program's set-up drop
out and what remains is the rate of the program's own loops.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from virtquest.emu.isa import M32

XORSHIFT_SEED = 2463534242


@dataclass(frozen=True)
class Workload:
    name: str                                   # assets/programs/bench/NAME.s
    quick: Mapping[str, int]
    short: Mapping[str, int]
    full: Mapping[str, int]
    reference: Callable[..., int]               # the sizes -> the exit code, as a signed number

    def expected(self, sizes: Mapping[str, int]) -> int:
        return self.reference(**sizes)


def signed32(value: int) -> int:
    value &= M32
    return value - (1 << 32) if value & 0x80000000 else value


def _xorshift(x: int) -> int:
    x ^= (x << 13) & M32
    x ^= x >> 17
    return x ^ (x << 5) & M32


def xorshift_sum(N: int) -> int:               # noqa: N803 - the program's own names
    x, total = XORSHIFT_SEED, 0
    for _ in range(N):
        x = _xorshift(x)
        total = (total + x) & M32
    return signed32(total)


def count_primes_by_division(N: int) -> int:    # noqa: N803
    found = 0
    for n in range(2, N):
        d = 2
        while d * d <= n and n % d:
            d += 1
        found += d * d > n
    return found


def count_primes_by_sieve(N: int) -> int:       # noqa: N803
    crossed = bytearray(N)
    p = 2
    while p * p < N:
        if not crossed[p]:
            crossed[p * p::p] = b"\x01" * len(range(p * p, N, p))
        p += 1
    return sum(1 for n in range(2, N) if not crossed[n])


def sorted_checksum(N: int) -> int:             # noqa: N803
    values, x = [], XORSHIFT_SEED
    for _ in range(N):
        x = _xorshift(x)
        values.append(x)
    values.sort()
    return signed32(sum(v * (i + 1) for i, v in enumerate(values)))


def fibonacci(N: int) -> int:                   # noqa: N803
    return N if N < 2 else fibonacci(N - 1) + fibonacci(N - 2)


def page_sum(PAGES: int, ROUNDS: int) -> int:   # noqa: N803
    words = PAGES * 1024
    return signed32(ROUNDS * sum(i * 2654435761 & M32 for i in range(words)))


def reversed_string_checksum(LENGTH: int, ROUNDS: int) -> int:    # noqa: N803
    text = bytes(97 + i * 7 % 26 for i in range(LENGTH))
    if ROUNDS % 2:
        text = text[::-1]
    return signed32(sum(b * (i + 1) for i, b in enumerate(text)))


def list_walk_sum(NODES: int, STRIDE: int, ROUNDS: int) -> int:  # noqa: N803
    total, k = 0, 0
    for _ in range(NODES):
        total += k * 3 + 1
        k = (k + STRIDE) % NODES
    return signed32(total * ROUNDS)


WORKLOADS: tuple[Workload, ...] = (
    # xorshift loop closed by loop
    Workload("compute", {"N": 200}, {"N": 20_000}, {"N": 200_000}, xorshift_sum),
    # the same loop closed by inc, cmp, jl
    Workload("count_cmp", {"N": 200}, {"N": 20_000}, {"N": 200_000}, xorshift_sum),
    # the same loop closed by dec, jnz
    Workload("count_dec", {"N": 200}, {"N": 20_000}, {"N": 200_000}, xorshift_sum),
    # trial division: div, imul, short inner loop
    Workload("primes", {"N": 300}, {"N": 3_000}, {"N": 30_000}, count_primes_by_division),
    # sieve over mapped pages: byte loads and stores
    Workload("sieve", {"N": 500}, {"N": 10_000}, {"N": 100_000}, count_primes_by_sieve),
    # bubble sort: word loads and stores, unsigned compares
    Workload("sort", {"N": 30}, {"N": 150}, {"N": 480}, sorted_checksum),
    # recursive Fibonacci: call, ret, push, pop
    Workload("fib", {"N": 10}, {"N": 17}, {"N": 22}, fibonacci),
    # sum of words over pages
    Workload("memsum", {"PAGES": 2, "ROUNDS": 2}, {"PAGES": 16, "ROUNDS": 4},
             {"PAGES": 16, "ROUNDS": 40}, page_sum),
    # string copy and reverse: byte pointers
    Workload("strings", {"LENGTH": 50, "ROUNDS": 2}, {"LENGTH": 1000, "ROUNDS": 6},
             {"LENGTH": 1000, "ROUNDS": 60}, reversed_string_checksum),
    # linked-list walk: pointer chasing
    Workload("list", {"NODES": 50, "STRIDE": 7, "ROUNDS": 2},
             {"NODES": 2000, "STRIDE": 617, "ROUNDS": 4},
             {"NODES": 2000, "STRIDE": 617, "ROUNDS": 40}, list_walk_sum),
)

BY_NAME = {w.name: w for w in WORKLOADS}
