"""Every shipped example and benchmark program gives its expected output (golden data below)."""

from __future__ import annotations

import re

import pytest

from virtquest.content.profiles import load_profile
from virtquest.emu.boot import load_guest
from virtquest.emu.resources import PROGRAMS

PROFILE = load_profile("modern")
EXAMPLES = PROGRAMS / "examples"

# file -> (console output, exit code). Regenerate only on purpose, and update the file's header.
EXPECTED: dict[str, tuple[str, int]] = {
    "hello.s": ("Hello from user mode!\n", 0),
    "syscalls.s": (
        "null() = 0\n"
        "putc('*'): *\n"
        "write() printed this line\n"
        "write() = 26\n"
        "getpid() = 1\n"
        "time() went forward: yes\n"
        "map(0x10000000, 1) = 0\n"
        "stored 1234 in the new page, read back 1234\n"
        "unmap(0x10000000, 1) = 0\n"
        "write(kernel address) = -1\n"
        "call 42 = -1\n"
        "yield() = 0\n"
        "spawn(child) = 2\n"
        "child: my pid is 2\n"
        "wait(2) = 7\n", 0),
    "spawn_wait.s": (
        "parent: spawned child 2 for job 1\n"
        "child 2: job 1, exiting with 1*1\n"
        "parent: child 2 exited with code 1\n"
        "parent: spawned child 3 for job 2\n"
        "child 3: job 2, exiting with 2*2\n"
        "parent: child 3 exited with code 4\n"
        "parent: spawned child 4 for job 3\n"
        "child 4: job 3, exiting with 3*3\n"
        "parent: child 4 exited with code 9\n"
        "parent: my job is still 3 (each child changed only its copy)\n"
        "parent: wait(1) = -1 (not my child)\n", 0),
    "pingpong.s": ("ping 1\npong 1\nping 2\npong 2\nping 3\npong 3\nboth done\n", 0),
    "fault.s": (
        "main: started process 2; it will read unmapped memory\n"
        "main: step 1\n"
        "crasher: reading 0x10000000...\n"
        "[minios] process 2 killed: #PF page fault at 0x10000000 (eip 0x004000e8)\n"
        "main: step 2\n"
        "main: step 3\n"
        "main: process 2 ended with code 142\n", 0),
    "map_unmap.s": (
        "map(0x20000000, 2) = 0\n"
        "new pages start zeroed: 0\n"
        "wrote 1111 and 2222, read back 1111 and 2222\n"
        "map(0x20000000, 1) again = -1\n"
        "map(0x00400000, 1) = -1\n"
        "map(0x20000010, 1) = -1\n"
        "unmap(0x20000000, 2) = 0\n"
        "touching 0x20000000 again...\n"
        "[minios] process 1 killed: #PF page fault at 0x20000000 (eip 0x00400358)\n", 142),
    "kernel_main.s": ("kernel_main: CPL 0, paging on, getpid() = 1\nmain: CPL 3\n", 0),
    "bare_metal.s": ("bare metal: CPL 0, paging off, 6 * 7 = 42\n", 42),
    "net.s": ("sent 8 of 8, refused 1\n", 0),
    "double_paging.s": ("sum -1056473088\n", 0),
}


def run_file(path, defines=None):
    guest = load_guest(path.read_text(encoding="utf-8"), file=path.name, profile=PROFILE,
                       defines=defines)
    result = guest.run(budget=20_000_000)
    assert result.stop == "exit", result.message
    return result


def header_expectation(text: str) -> tuple[str, int]:
    """The output and exit code a file's comment header promises."""
    lines = text.splitlines()
    start = lines.index("; Expected output:") + 1
    output = []
    for line in lines[start:]:
        if line.startswith("; Exit code:"):
            code = int(re.match(r"; Exit code: (-?\d+)", line).group(1))
            return "".join(f"{out}\n" for out in output), code
        output.append(line.removeprefix(";   "))
    raise AssertionError("no '; Exit code:' line")


def test_every_example_has_golden_data():
    assert sorted(p.name for p in EXAMPLES.glob("*.s")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_gives_its_expected_output(name):
    result = run_file(EXAMPLES / name)
    assert (result.console, result.exit_code) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_header_states_what_it_shows_and_its_output(name):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert text.startswith(f"; {name}: ")
    assert "; Shows:" in text
    assert header_expectation(text) == EXPECTED[name]


def xorshift_sum(n: int) -> int:
    x, total = 2463534242, 0
    for _ in range(n):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        total = (total + x) & 0xFFFFFFFF
    return total - (1 << 32) if total & 0x80000000 else total


def test_compute_benchmark_matches_the_same_arithmetic_in_python():
    result = run_file(PROGRAMS / "bench" / "compute.s", defines={"N": 2000})
    assert (result.console, result.exit_code) == ("", xorshift_sum(2000))
    assert xorshift_sum(100_000) == -1336644599   # the figure its header quotes


def test_kernel_benchmark_runs_two_processes_through_the_system_calls():
    result = run_file(PROGRAMS / "bench" / "kernel.s", defines={"ITER": 5})
    assert (result.console, result.exit_code) == ("kernel workload: done\n", 0)
    assert result.events["interrupts"] >= 5 * 5
