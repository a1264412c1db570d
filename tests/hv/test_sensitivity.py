"""Scaling one mechanism's cost moves exactly the results that use it — proof that every number
comes out of the mechanisms running, not out of a table."""

import pytest

from virtquest.content.profiles import load_profile
from virtquest.emu.resources import PROGRAMS
from virtquest.hv.runner import run_mode

MODES = ("native", "trap-emulate", "binary-translation", "paravirt", "hardware-assist")
PROGRAM = PROGRAMS / "bench" / "kernel.s"


def cycles(profile, mode):
    result, _ = run_mode(PROGRAM.read_text(), mode, file=str(PROGRAM), profile=profile,
                         defines={"ITER": 3})
    assert result.finished
    return result


@pytest.mark.parametrize("key,users", [
    ("vm_entry", {"hardware-assist"}),
    ("bt_translate", {"binary-translation"}),
    ("hypercall", {"paravirt"}),
    ("vmm_trap", {"trap-emulate", "binary-translation", "paravirt"}),
])
def test_scaling_a_mechanism_moves_only_its_users(key, users):
    base = load_profile("p4-2006")
    dearer = base.scaled(key, 3)
    for mode in MODES:
        before, after = cycles(base, mode), cycles(dearer, mode)
        if mode in users:
            assert after.cycles > before.cycles, (key, mode)
        else:
            assert after.cycles == before.cycles, (key, mode)
        assert after.console == before.console and after.instructions == before.instructions


def test_vm_entry_cost_per_exit_is_exact():
    base = load_profile("modern")
    before = cycles(base, "hardware-assist")
    after = cycles(base.with_costs(vm_entry=base["vm_entry"] + 100), "hardware-assist")
    assert after.cycles - before.cycles == 100 * before.events["vm_exits"]
