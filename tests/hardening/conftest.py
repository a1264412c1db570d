"""Hypothesis profiles for the hardening tests (docs/security.md): a small fixed set of examples by
default, so a normal test run stays fast and gives the same result every time, and a long random run
on demand (docs/security.md says how):

    VIRTQUEST_FUZZ=long .venv/bin/python -m pytest tests/hardening
    .venv/bin/python -m pytest tests/hardening --hypothesis-profile=long

Each test asks `fuzz(share)` for its settings: `share` scales the profile's number of examples for
tests whose examples are expensive (a run under all five modes costs more than one assembly).
The emulator tests share `STOPS`, `watchdog` and `watch_rings` from here too.
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, settings

PROFILE_ENV = "VIRTQUEST_FUZZ"
PROFILES = ("ci", "long")

settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=2000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def active_profile() -> str:
    """`VIRTQUEST_FUZZ`, else `--hypothesis-profile` when it names one of ours, else "ci"."""
    chosen = os.environ.get(PROFILE_ENV)
    if chosen and chosen not in PROFILES:
        raise pytest.UsageError(f"{PROFILE_ENV}={chosen}: expected one of {', '.join(PROFILES)}")
    chosen = chosen or settings.get_current_profile_name()
    return chosen if chosen in PROFILES else "ci"


def fuzz(share: float = 1.0) -> settings:
    """The active profile, with `share` of its examples (at least one)."""
    profile = settings.get_profile(active_profile())
    return settings(profile, max_examples=max(1, round(profile.max_examples * share)))


# RunResult.stop (virtquest/emu/machine.py); "cancelled" only when a caller cancels, which in these
# tests happens only if the cycle budget failed to stop a run (see `watchdog`).
STOPS = {"exit", "halted", "budget", "triple-fault"}


def watchdog(seconds: float = 60):
    """A cancel callback that fires only if a run outlives its cycle budget by far in wall time."""
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() > deadline


SOFTWARE_VMMS = {"trap-emulate", "binary-translation", "paravirt"}   # guest kernel at ring 1


def watch_rings(cpu) -> set[int]:
    """The real rings the CPU is at around every instruction the interpreter steps: every
    privileged and sensitive one (the fast path compiles innocuous code only)."""
    rings = {cpu.cpl}
    step = cpu.step

    def watched_step() -> None:
        rings.add(cpu.cpl)
        step()
        rings.add(cpu.cpl)

    cpu.step = watched_step
    return rings
