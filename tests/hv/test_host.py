"""Many guests on one host: frames on first touch, swapping, ballooning, page sharing, isolation
(hv/host.py). Every run is checked against the program's own native run: what the host does to
a guest's memory must never show in what the guest computes."""

from __future__ import annotations

import dataclasses

import pytest

from virtquest.content.profiles import load_profile
from virtquest.emu.boot import load_guest
from virtquest.emu.memory import PAGE_SHIFT, PAGE_SIZE
from virtquest.emu.resources import ASSETS
from virtquest.hv.host import (
    BALLOONED,
    RESIDENT,
    SHARED,
    SWAPPED,
    Host,
    HostSetup,
)
from virtquest.hv.hostrun import boot, follows, ran_short, run_on_host, same_run
from virtquest.hv.migration import MigrationSetup
from virtquest.hv.registry import create
from virtquest.hv.runner import run_mode

PROFILE = load_profile("modern")
OVERCOMMIT = ASSETS / "programs/levels/ch12_overcommit.s"
NEIGHBOUR = ASSETS / "programs/levels/ch12_neighbour.s"
SORT = ASSETS / "programs/bench/sort.s"


def _source(path):
    return path.read_text(encoding="utf-8")


def _native(path):
    result, _ = run_mode(_source(path), "native", file=str(path), profile=PROFILE)
    return result


def _host_run(path, setup, choices=None, settings=None, profile=PROFILE):
    return run_on_host(_source(path), file=str(path), profile=profile, setup=setup,
                       choices=choices, settings=settings, native=_native(path))


def test_a_guest_gets_frames_only_for_the_pages_it_touches():
    run = _host_run(SORT, HostSetup(guests=1))
    guest = run.host["guests"][0]
    assert run.equivalent
    assert 0 < guest["pages"]["resident"] < 256
    assert guest["pages"]["untouched"] == 256 - guest["pages"]["resident"]
    assert run.host["frames"]["used"] == guest["pages"]["resident"]


@pytest.mark.parametrize("frames", [8, 12])
def test_a_swap_storm_leaves_the_guest_exact(frames):
    """With far fewer frames than the guest touches, the host swaps all the time; the guest's
    output and exit code are still the native ones."""
    run = _host_run(SORT, HostSetup(guests=1, frames=frames, reclaim="swap"))
    work = run.host["work"]
    assert run.equivalent, run.result.message
    assert work["swap_outs"] > 5 and work["swap_ins"] > 5
    assert run.host["frames"]["peak"] == frames
    assert run.result.breakdown["device"] >= work["swap_ins"] * PROFILE["swap_io"]


def test_a_swapped_page_is_really_gone_from_the_guest():
    """The bytes of a swapped-out page are on the host's swap device only: the guest's RAM
    holds zeros there until the page is read back."""
    guest = load_guest(_source(SORT), file=str(SORT), profile=PROFILE)
    create("hardware-assist", guest.machine)
    host = Host(PROFILE, HostSetup(guests=1, frames=8, reclaim="swap"))
    vm = host.add(guest)
    host.run(budget=2_000_000)
    swapped = [page for page, state in enumerate(vm.state) if state == SWAPPED]
    assert swapped
    assert any(any(vm.swapped[page]) for page in swapped)
    for page in swapped:
        assert vm.page_bytes(page) == bytes(PAGE_SIZE)


def test_the_swap_in_is_what_keeps_the_guest_right(monkeypatch):
    """Break the swap-in (the page comes back empty) and the guest's output changes: the
    equivalence check sees the host's memory management, it does not pass by luck."""
    from virtquest.hv import host as host_module

    def lose_contents(self, page, content):
        self.memory.load(page << PAGE_SHIFT, bytes(PAGE_SIZE))

    monkeypatch.setattr(host_module.VM, "fill", lose_contents)
    run = _host_run(SORT, HostSetup(guests=1, frames=12, reclaim="swap"))
    assert not run.equivalent


def test_with_nothing_to_reclaim_the_guest_that_needs_a_frame_stops():
    run = _host_run(SORT, HostSetup(guests=1, frames=12))
    assert not run.equivalent
    assert run.result.stop == "host-oom"
    assert "ran out of memory" in run.result.message
    assert run.host["work"]["out_of_memory"] == 1


def test_the_balloon_driver_gives_the_freed_cache_back():
    """The modified guest calls the balloon driver after dropping its cache: the host gets
    those frames back, and the guest still computes what it computes natively."""
    settings = {"reclaim": "reclaim"}
    without = _host_run(OVERCOMMIT, HostSetup(guests=1), {"reclaim": "hypervisor"}, settings)
    with_balloon = _host_run(OVERCOMMIT, HostSetup(guests=1), {"reclaim": "guest"}, settings)
    assert without.equivalent and with_balloon.equivalent
    pages = with_balloon.host["guests"][0]["pages"]
    assert pages["ballooned"] == 64                         # BIG in the program
    assert with_balloon.host["frames"]["used"] < without.host["frames"]["used"] - 50
    assert with_balloon.result.events["hypercall.balloon_release"] == 64


def test_the_balloon_system_call_says_no_on_bare_hardware():
    source = "\n".join([
        "main:", "    mov eax, 12", "    mov ebx, 4", "    int 0x80", "    mov ebx, eax",
        "    mov eax, 1", "    int 0x80"])
    result, _ = run_mode(source, "native", file="<balloon>", profile=PROFILE)
    assert result.exit_code == -1
    result, _ = run_mode(source, "paravirt", file="<balloon>", profile=PROFILE)
    assert result.exit_code == 0         # a hypervisor, but no host to take pages: none went


def test_identical_guests_share_pages_and_writes_break_the_share():
    run = _host_run(OVERCOMMIT, HostSetup(guests=2, sharing=True, scan_every=20_000,
                                          scan_pages=256), {"identical": "hypervisor"},
                    {"identical": "sharing"})
    work = run.host["work"]
    assert run.equivalent
    assert work["shares"] > 10 and work["cow_faults"] > 0
    alone = _host_run(OVERCOMMIT, HostSetup(guests=2), {"identical": "cpu"},
                      {"identical": "sharing"})
    assert run.host["frames"]["peak"] < alone.host["frames"]["peak"]


def test_a_shared_frame_stands_for_equal_pages_only():
    """Every page the host lists on one frame has the same bytes as the others on it."""
    guests = []
    host = Host(PROFILE, HostSetup(guests=2, sharing=True, scan_every=10_000, scan_pages=512))
    for _ in range(2):
        guest = load_guest(_source(OVERCOMMIT), file=str(OVERCOMMIT), profile=PROFILE)
        create("hardware-assist", guest.machine)
        guests.append(host.add(guest))
    host.run(budget=1_500_000)
    shared = [(frame, owners) for frame, owners in host.owners.items() if len(owners) > 1]
    assert shared
    for _frame, owners in shared:
        contents = {vm.page_bytes(page) for vm, page in owners}
        assert len(contents) == 1
        assert all(vm.state[page] == SHARED for vm, page in owners)


def test_the_timing_probe_sees_a_shared_page_unless_time_is_virtual():
    settings = {"identical": "sharing"}
    setup = HostSetup(guests=2, scan_every=50_000, scan_pages=128)
    leak = _host_run(NEIGHBOUR, setup, {"identical": "hypervisor", "probe_start": "cpu",
                                        "probe_end": "cpu"}, settings)
    hidden = _host_run(NEIGHBOUR, setup, {"identical": "hypervisor",
                                          "probe_start": "hypervisor",
                                          "probe_end": "hypervisor"}, settings)
    assert "neighbour: seen" in leak.result.console and not leak.equivalent
    assert hidden.result.console == "neighbour: not seen\n" and hidden.equivalent


HOSTILE = """
; A hostile guest: it writes over every byte of physical memory it can name, its own RAM and
; far past it, with paging off; then it powers off.
_start:
    mov ebx, 0x10000
    mov eax, 0xDEADBEEF
scribble:
    mov [ebx], eax
    add ebx, 4096
    cmp ebx, 0x00400000
    jb scribble
    mov eax, 0
    out 0xF4, eax
"""


def test_a_hostile_guest_cannot_touch_its_neighbour():
    """A guest that writes everywhere it can address, beside a guest sorting: the sorter's
    result and memory are as if it ran alone; the writes past the hostile guest's RAM are
    refused."""
    host = Host(PROFILE, HostSetup(guests=2))
    victim = load_guest(_source(SORT), file=str(SORT), profile=PROFILE)
    create("hardware-assist", victim.machine)
    hostile = load_guest(HOSTILE, file="<hostile>", profile=PROFILE)
    create("hardware-assist", hostile.machine)
    victim_vm, hostile_vm = host.add(victim), host.add(hostile)
    host.run()
    alone = _native(SORT)
    result = victim_vm.machine.result()
    assert (result.console, result.exit_code) == (alone.console, alone.exit_code)
    assert hostile_vm.machine.refusals            # its stores past its own RAM were refused
    frames = [f for f in victim_vm.frame if f >= 0]
    assert not set(frames) & {f for f in hostile_vm.frame if f >= 0}


def test_without_vpid_every_switch_between_guests_flushes_the_tlb():
    untagged = dataclasses.replace(PROFILE, vpid=False)
    tagged = _host_run(SORT, HostSetup(guests=2, quantum=5_000))
    flushed = _host_run(SORT, HostSetup(guests=2, quantum=5_000), profile=untagged)
    assert tagged.equivalent and flushed.equivalent
    assert "host.world_switch_flushes" not in tagged.result.events
    assert flushed.result.events["host.world_switch_flushes"] > 10
    assert flushed.result.events["tlb_misses"] > tagged.result.events["tlb_misses"]


def test_a_host_needs_nested_paging():
    guest = load_guest(_source(SORT), file=str(SORT),
                       profile=dataclasses.replace(PROFILE, ept=False))
    create("hardware-assist", guest.machine)
    with pytest.raises(ValueError, match="EPT"):
        Host(PROFILE, HostSetup(guests=1)).add(guest)


def test_state_names_cover_every_page():
    run = _host_run(OVERCOMMIT, HostSetup(guests=2, frames=100, reclaim="swap"))
    for guest in run.host["guests"]:
        assert sum(guest["pages"].values()) == 256 == len(guest["memory_map"])
        assert guest["memory_map"].count("W") == guest["pages"]["swapped"]
    assert {RESIDENT, SWAPPED, BALLOONED} == {1, 3, 4}


DOUBLE_PAGING = ASSETS / "programs/examples/double_paging.s"


def test_the_guest_paging_out_what_the_host_swapped_is_double_paging():
    """The guest sends its 24 cold pages to its disk; on a host short of frames, the host's own
    clock had swapped those very pages, so each is read back from the host's swap only to be
    written to the guest's disk. With frames enough, none is."""
    tight = _host_run(DOUBLE_PAGING, HostSetup(guests=1, frames=40, reclaim="swap"))
    roomy = _host_run(DOUBLE_PAGING, HostSetup(guests=1))
    assert tight.equivalent and roomy.equivalent
    assert tight.host["work"]["double_paging"] == 24
    assert tight.host["guests"][0]["events"]["double_paging"] == 24
    assert "double_paging" not in roomy.host["work"]
    assert tight.result.events["disk_writes"] == roomy.result.events["disk_writes"] == 24


def test_page_out_and_page_in_refuse_what_is_not_the_callers():
    source = "\n".join([
        "main:",
        "    mov eax, 13", "    mov ebx, 0x10000000", "    mov ecx, 0", "    int 0x80",
        "    mov edi, eax",                       # not mapped: -1
        "    mov eax, 6", "    mov ebx, 0x10000000", "    mov ecx, 1", "    int 0x80",
        "    mov eax, 0x1234", "    mov [0x10000000], eax",
        "    mov eax, 13", "    mov ebx, 0x10000000", "    mov ecx, 300", "    int 0x80",
        "    add edi, eax",                       # slot past the disk: -1
        "    mov eax, 13", "    mov ebx, 0x10000000", "    mov ecx, 5", "    int 0x80",
        "    add edi, eax",                       # out: 0
        "    mov eax, 14", "    mov ebx, 0x10000000", "    mov ecx, 5", "    int 0x80",
        "    add edi, eax",                       # back in: 0
        "    mov eax, [0x10000000]", "    cmp eax, 0x1234", "    je same",
        "    add edi, 100",
        "same:",
        "    mov ebx, edi", "    mov eax, 1", "    int 0x80"])
    for mode in ("native", "hardware-assist", "paravirt"):
        result, _ = run_mode(source, mode, file="<disk>", profile=PROFILE)
        assert result.exit_code == -2, mode
        assert result.events["disk_writes"] == 1 and result.events["disk_reads"] == 1


def test_only_settings_that_cannot_change_a_run_share_one():
    moving = MigrationSetup()
    stop = {"precopy": "cpu", "dirty_log": "hypervisor"}
    assert same_run(HostSetup(), moving, stop) == {"precopy": "cpu", "dirty_log": "cpu"}
    pre = {"precopy": "hypervisor", "dirty_log": "hypervisor"}
    assert same_run(HostSetup(), moving, pre) == pre
    assert same_run(HostSetup(), None, pre) == {"precopy": "cpu", "dirty_log": "cpu"}
    # a frame for every page: nothing reclaims, whoever would; a short host: it matters
    assert same_run(HostSetup(), None, {"reclaim": "hypervisor"}) == {"reclaim": "cpu"}
    assert same_run(HostSetup(), None, {"reclaim": "guest"}) == {"reclaim": "guest"}
    assert same_run(HostSetup(frames=40), None, {"reclaim": "hypervisor"}) == {
        "reclaim": "hypervisor"}


@pytest.mark.parametrize("name", ["bare_metal.s", "hello.s", "kernel_main.s"])
def test_a_guest_booted_from_the_kept_build_is_the_one_load_guest_boots(name):
    """Host runs assemble a program once and boot every later guest from that build: the same
    memory, registers and entry point as a fresh load_guest, and the same run."""
    path = ASSETS / "programs/examples" / name
    source = path.read_text(encoding="utf-8")
    defines, kernel = {"GUEST_x": 1}, {"GUEST_x": 1}
    fresh = load_guest(source, file=str(path), profile=PROFILE, defines=defines,
                       kernel_defines=kernel)
    boot(source, file=str(path), profile=PROFILE, defines=defines, kernel_defines=kernel)
    kept = boot(source, file=str(path), profile=PROFILE, defines=defines, kernel_defines=kernel)
    assert kept.kind == fresh.kind
    assert kept.machine.memory.data == fresh.machine.memory.data
    assert (kept.machine.cpu.eip, kept.machine.cpu.regs) == (fresh.machine.cpu.eip,
                                                             fresh.machine.cpu.regs)
    assert vars(kept.run()) == vars(fresh.run())


def test_nothing_reclaiming_runs_as_host_swapping_until_the_host_runs_short():
    """What lets the solver judge 'nothing reclaims' from host swapping's run: with frames to
    spare the two are the same run; short of frames, swapping swaps and nothing stops a guest."""
    path = ASSETS / "programs/levels/ch12_overcommit.s"
    source = path.read_text(encoding="utf-8")
    native, _ = run_mode(source, "native", file=str(path), profile=PROFILE)
    settings = {"reclaim": "reclaim"}

    def run(frames, choice):
        return run_on_host(source, file=str(path), profile=PROFILE,
                           setup=HostSetup(guests=2, frames=frames, stagger=800_000),
                           choices={"reclaim": choice}, settings=settings, native=native)

    assert follows(HostSetup(frames=40), None, {"reclaim": "cpu"}) == {"reclaim": "hypervisor"}
    assert follows(HostSetup(), None, {"reclaim": "cpu"}) is None     # never short
    assert follows(HostSetup(frames=40), None, {"reclaim": "hypervisor"}) is None
    plenty_swap, plenty_none = run(400, "hypervisor"), run(400, "cpu")
    assert not ran_short(plenty_swap.host["work"])
    assert plenty_none.to_json() | {"host": None} == plenty_swap.to_json() | {"host": None}
    assert plenty_none.host | {"reclaim": "swap"} == plenty_swap.host
    short_swap, short_none = run(100, "hypervisor"), run(100, "cpu")
    assert ran_short(short_swap.host["work"]) and short_swap.equivalent
    assert short_none.host["work"]["out_of_memory"] == 1 and not short_none.equivalent


@pytest.mark.parametrize("stop_at", [3, 30, 61])
def test_a_run_stopped_between_two_quanta_goes_on_as_if_it_never_stopped(stop_at):
    """What lets the lab finish a run the solver cut short instead of running it again: two
    guests sharing pages and swapping, stopped after some quantum (in the middle of a round of
    both guests) and finished later, end with the same guests, cycles, events, pages and
    samples as one run that never stopped."""
    source, native = _source(OVERCOMMIT), _native(OVERCOMMIT)
    setup = HostSetup(guests=2, frames=100, reclaim="swap", sharing=True, stagger=800_000)
    kept = []
    quanta = []

    def give_up(host, migrator):
        quanta.append(host.elapsed())
        return len(quanta) == stop_at

    whole = run_on_host(source, file=str(OVERCOMMIT), profile=PROFILE, setup=setup,
                        native=native)
    cut = run_on_host(source, file=str(OVERCOMMIT), profile=PROFILE, setup=setup,
                      native=native, give_up=give_up, suspend=kept.append)
    assert cut is None and len(kept) == 1
    finished = kept[0].finish()
    assert finished.to_json() == whole.to_json()
    assert finished.result.registers == whole.result.registers
    assert whole.host["work"]["swap_outs"] and whole.host["work"]["shares"]
    with pytest.raises(RuntimeError):
        kept[0].finish()
