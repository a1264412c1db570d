"""The bench's user workloads: each program computes what its Python reference computes, and the
bench refuses a run whose answer is wrong."""

import pytest

from virtquest.content.profiles import load_profile
from virtquest.hv.bench import WrongResult, measure, user_workload
from virtquest.hv.workloads import BY_NAME, WORKLOADS

PROFILE = load_profile("modern")


@pytest.mark.parametrize("workload", WORKLOADS, ids=lambda w: w.name)
def test_each_program_gives_its_python_reference_answer(workload):
    sizes = dict(workload.quick)
    run = measure(workload.name, "native", PROFILE, sizes, expected=workload.expected(sizes))
    assert run.instructions > 1000, "the workload really loops"


def test_every_bench_program_is_a_workload_with_its_header():
    from virtquest.emu.resources import PROGRAMS

    names = {p.stem for p in (PROGRAMS / "bench").glob("*.s")} - {"kernel"}
    assert names == set(BY_NAME)
    for name in names:
        header = (PROGRAMS / "bench" / f"{name}.s").read_text(encoding="utf-8").splitlines()[0]
        assert f"the `{name}` workload of `virtquest bench`" in header


def test_a_run_that_ends_with_another_answer_is_refused():
    with pytest.raises(WrongResult, match="Python reference gives 56"):
        measure("fib", "native", PROFILE, {"N": 9}, expected=56)   # fib(9) is 34


def test_known_answers_of_the_references():
    assert BY_NAME["fib"].expected({"N": 20}) == 6765
    assert BY_NAME["primes"].expected({"N": 100}) == 25
    assert BY_NAME["sieve"].expected({"N": 100}) == 25
    assert BY_NAME["compute"].expected({"N": 100_000}) == -1336644599    # compute.s's header


def test_a_quick_measurement_reports_a_positive_rate_under_a_virtualized_mode():
    run = user_workload(BY_NAME["sort"], "trap-emulate", PROFILE, quick=True)
    assert run.instructions > 0 and run.guest_mips > 0
