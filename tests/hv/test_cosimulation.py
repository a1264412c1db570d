"""Co-simulation (Ripes' habit): every shipped program under every mode gives the native output,
except the documented x86-hole cases, which must differ exactly where the holes are."""

import pytest

from virtquest.content.profiles import load_profile
from virtquest.emu.resources import PROGRAMS
from virtquest.hv.registry import mode_ids
from virtquest.hv.runner import run_modes
from virtquest.hv.workloads import BY_NAME

SMALL = {"ITER": 3, "N": 200}
PROGRAM_FILES = sorted(p for p in PROGRAMS.glob("*/*.s") if p.parent.name != "levels")
# Where a sensitive instruction runs directly in the guest kernel at ring 1 and answers wrongly:
# `mov r, cs` in these programs' kernel code shows CPL 1 under the software VMMs.
EXPECTED_DIFFERENCES = {
    ("bare_metal.s", "trap-emulate"), ("bare_metal.s", "paravirt"),
    ("kernel_main.s", "trap-emulate"), ("kernel_main.s", "paravirt"),
}


@pytest.mark.parametrize("path", PROGRAM_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_mode_matches_native(path):
    workload = BY_NAME.get(path.stem) if path.parent.name == "bench" else None
    runs = run_modes(path.read_text(encoding="utf-8"), mode_ids(), file=str(path),
                     profile=load_profile("modern"),
                     defines=dict(workload.quick) if workload else SMALL)
    for run in runs:
        assert run.result.finished, (run.mode, run.result.message)
        assert run.contained, (run.mode, run.violations)
        if (path.name, run.mode) in EXPECTED_DIFFERENCES:
            assert not run.equivalent, f"{path.name} under {run.mode} should show the x86 hole"
            assert any(d["how"].id == "hole.cs" for d in run.divergences)
        else:
            assert run.equivalent, (run.mode, run.result.console, run.result.exit_code)


def test_the_paravirtual_kernel_really_uses_hypercalls():
    path = PROGRAMS / "bench" / "kernel.s"
    [run] = run_modes(path.read_text(), ["paravirt"], file=str(path),
                      profile=load_profile("modern"), defines=SMALL)
    events = run.result.events
    assert events["hypercall.mmu_update"] > 0
    assert events["direct_syscalls"] > 0, "system calls reach the guest kernel directly"
    assert "hypercall.iret" not in events, "it returns with its own iret, as x86-32 Xen guests"
