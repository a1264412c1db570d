"""Many guests on one host: a hypervisor that owns the host's memory frames and shares one
physical CPU between several guests (docs/hosts.md).

Each guest is a whole machine under hardware assist with EPT: its own RAM (guest-physical
memory), vCPU, devices and mode. The host decides which of a guest's pages occupy one of its
frames. A page the guest never touched has no frame; the first touch (an EPT miss: the nested
walk of `mmu.second_stage`) gives it one. When the frames run out, the host reclaims memory the
way the level chose:

- **none** — nothing reclaims: the guest that needs a frame is stopped (the host is out of memory);
- **swap** — the host picks a victim page of any guest (a clock, blind to what the guests use
  pages for), writes it to its swap device and takes its frame; a later touch reads it back;
- **balloon** — the guest's balloon driver (mini-OS system call 12) hands pages over with a
  hypercall, chosen by the guest's own allocator; the host frees their frames at once;

and, beside any of them, **sharing**: a scanner hashes resident pages, compares candidates byte
for byte, maps equal pages to one frame and write-protects every copy; the first write to a
shared page breaks the share by copy-on-write.

How the mechanism is real here: a guest's RAM is its own bytearray. A swapped-out or ballooned
page is really emptied (zeroed) and comes back only through the host, so a missed fault would
show in the guest's output; a shared page's copies are equal byte for byte when merged and every
write to one of them is caught (the memory's write watch, the EPT write protection of this
emulator), so one frame truly stands for all of them. Frame counts are exact.
"""

from __future__ import annotations

import zlib
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass

from virtquest.emu.costs import CostProfile
from virtquest.emu.faults import MachineStop
from virtquest.emu.machine import DEFAULT_BUDGET
from virtquest.emu.memory import PAGE_SHIFT, PAGE_SIZE
from virtquest.emu.messages import message

# What a guest page is to the host.
RESIDENT, SHARED, SWAPPED, BALLOONED = range(1, 5)   # 0: untouched (no frame yet)
STATE_NAMES = ("untouched", "resident", "shared", "swapped", "ballooned")
STATE_CHARS = ".RSWB"            # the memory map of `run --json`, one character per page
RECLAIMS = ("none", "swap", "balloon")
PINNED = 8                       # the running guest's latest touches are never the victim
ZERO_PAGE = bytes(PAGE_SIZE)


class HostOutOfMemory(MachineStop):
    """No frame for a page and nothing to reclaim one: the guest stops."""


@dataclass(frozen=True)
class HostSetup:
    """How the host runs its guests: plain values (a level's `host:` section and the choices of
    its setting slots become one of these)."""

    guests: int = 2
    frames: int | None = None       # host frames for all guests; None: as many as they need
    reclaim: str = "none"           # none | swap | balloon
    sharing: bool = False
    quantum: int = 20_000           # cycles a guest runs before the host switches
    scan_every: int = 100_000       # host cycles between runs of the sharing scanner
    scan_pages: int = 64            # pages the scanner hashes per run
    stagger: int = 0                # host cycles between one guest's start and the next's

    def __post_init__(self) -> None:
        if self.reclaim not in RECLAIMS:
            raise ValueError(f"reclaim must be one of {', '.join(RECLAIMS)}")
        if not 1 <= self.guests <= 8:
            raise ValueError("a host runs 1 to 8 guests")
        if self.frames is not None and self.frames < 1:
            raise ValueError("a host needs at least one frame")


class VM:
    """One guest as the host sees it: its machine and what each of its pages is."""

    def __init__(self, host: Host, index: int, guest):
        self.host, self.index, self.guest = host, index, guest
        self.machine = guest.machine
        self.memory, self.mmu, self.cpu = self.machine.memory, self.machine.mmu, self.machine.cpu
        self.mode = self.machine.vmm
        pages = self.memory.size >> PAGE_SHIFT
        self.state = bytearray(pages)
        self.frame = [-1] * pages            # host frame of each page (-1: none)
        self.swapped: dict[int, bytes] = {}   # page → its contents on the host's swap device
        self.protected: set[int] = set()      # pages the host write-protects
        self.recent: deque[int] = deque(maxlen=PINNED)
        self.referenced: set[int] = set()     # accessed bits of the nested table, set by walks
        self.events: Counter[str] = Counter()
        self.on_write: Callable[[VM, int], None] | None = None   # migration's dirty log
        self.on_touch: Callable[[VM, int], None] | None = None   # a page just got its frame
        self.log_traps = False    # protected pages fault on write (a dirty log by protection)
        self.finished = False

    # -- hooks on the guest's machine -----------------------------------------------------
    def install(self) -> None:
        nested = self.mmu.second_stage
        if nested is None:
            raise ValueError("a host runs its guests under hardware assist with EPT")

        def second_stage(gpa: int) -> tuple[int, int]:
            hpa, refs = nested(gpa)
            page = gpa >> PAGE_SHIFT
            if page < len(self.state):
                self.recent.append(page)
                self.referenced.add(page)      # the nested walk sets the accessed bit
                if self.state[page] not in (RESIDENT, SHARED):
                    self.host.fault_in(self, page)
            return hpa, refs

        self.mmu.second_stage = second_stage
        written = self.mode.on_code_written

        def on_code_written(page: int) -> None:
            if page in self.protected and not self.host.busy:
                self.host.write_fault(self, page)
            written(page)

        self.mode.on_code_written = on_code_written
        self.mode.balloon = lambda page: self.host.balloon(self, page)
        self.machine.disk.before_dma = lambda page, write: self.host.dma(self, page, write)
        # what the loader put in RAM is resident from the start (the image, the boot block)
        data = self.memory.data
        for page in range(len(self.state)):
            if data[page << PAGE_SHIFT:(page + 1) << PAGE_SHIFT] != ZERO_PAGE:
                self.host.give_frame(self, page)

    # -- the host's hands on the guest's memory -------------------------------------------
    def fill(self, page: int, content: bytes) -> None:
        """Put bytes into a page behind the guest's back (the host's own copy)."""
        host = self.host
        host.busy = True
        try:
            self.memory.load(page << PAGE_SHIFT, content)
        finally:
            host.busy = False
        if page in self.protected:
            self.memory.watch_page(page)       # the load dropped the watch: keep protecting

    def protect(self, page: int) -> None:
        self.protected.add(page)
        self.memory.watch_page(page)

    def unprotect(self, page: int) -> None:
        self.protected.discard(page)

    def page_bytes(self, page: int) -> bytes:
        return bytes(self.memory.data[page << PAGE_SHIFT:(page + 1) << PAGE_SHIFT])

    def counts(self) -> dict[str, int]:
        return {name: self.state.count(i) for i, name in enumerate(STATE_NAMES)}

    def memory_map(self) -> str:
        return self.state.translate(bytes.maketrans(bytes(range(5)),
                                                    STATE_CHARS.encode())).decode()


class Host:
    """Host frames, the guests, and the mechanisms that share the frames between them."""

    def __init__(self, profile: CostProfile, setup: HostSetup):
        self.profile, self.setup = profile, setup
        self.vms: list[VM] = []
        self.frames_total = setup.frames
        self.next_frame = 0
        self.free: list[int] = []
        self.owners: dict[int, list[tuple[VM, int]]] = {}   # frame → the pages it backs
        self.busy = False
        self.work = 0                      # the host's own cycles (scans, switches, I/O waits)
        self.breakdown: Counter[str] = Counter()
        self.events: Counter[str] = Counter()
        self.peak_frames = 0
        self.clock_hand = 0
        self.clock: list[tuple[VM, int]] = []   # resident private pages, in the order they came
        self.candidates: dict[int, tuple[VM, int]] = {}   # sharing: hash → a page with it
        self.scan_cursor = (0, 0)
        self.next_scan = setup.scan_every
        self.samples: list[dict] = []     # frames in use over time (the view's chart)
        self.running: VM | None = None
        self.last: VM | None = None      # the guest that ran last (a switch costs)
        # the guests still to run in the round `between` stopped by raising (run goes on there)
        self.rest: list[VM] = []

    def add(self, guest) -> VM:
        vm = VM(self, len(self.vms), guest)
        self.vms.append(vm)
        vm.install()
        return vm

    # -- frames --------------------------------------------------------------------------
    @property
    def frames_used(self) -> int:
        return len(self.owners)

    def _new_frame(self, vm: VM, page: int) -> int:
        if self.free:
            return self.free.pop()
        if self.frames_total is None or self.next_frame < self.frames_total:
            self.next_frame += 1
            return self.next_frame - 1
        if self.setup.reclaim == "swap" and self._swap_out_victim():
            return self.free.pop()
        self.events["out_of_memory"] += 1
        raise HostOutOfMemory("host-oom", message(
            "host.out-of-memory", guest=vm.index + 1, page=page << PAGE_SHIFT,
            frames=self.frames_total))

    def give_frame(self, vm: VM, page: int) -> None:
        frame = self._new_frame(vm, page)
        vm.frame[page] = frame
        vm.state[page] = RESIDENT
        self.owners[frame] = [(vm, page)]
        self.clock.append((vm, page))
        self.peak_frames = max(self.peak_frames, self.frames_used)
        if vm.on_touch is not None:
            vm.on_touch(vm, page)

    def _release(self, vm: VM, page: int) -> None:
        """The page no longer occupies its frame (the frame goes free if nobody else uses it)."""
        frame = vm.frame[page]
        if frame < 0:
            return
        owners = self.owners[frame]
        owners.remove((vm, page))
        if not owners:
            del self.owners[frame]
            self.free.append(frame)
        elif len(owners) == 1:
            other, other_page = owners[0]      # the last copy is private again
            other.state[other_page] = RESIDENT
            other.unprotect(other_page)
            self.clock.append((other, other_page))
        vm.frame[page] = -1
        vm.mmu.forget_frame(page)

    def charge(self, vm: VM | None, category: str, cycles: int) -> None:
        """Cycles of host work: on the guest that waits for it, else on the host itself."""
        if vm is not None:
            vm.cpu.charge(category, cycles)
        else:
            self.work += cycles
            self.breakdown[category] += cycles

    # -- faults ----------------------------------------------------------------------------
    def fault_in(self, vm: VM, page: int) -> None:
        """An EPT miss on a page with no frame: give it one (reading it back from swap)."""
        self.charge(vm, "trap", self.profile["vm_exit"] + self.profile["vm_entry"]
                    + self.profile["hav_handler"])
        vm.cpu.events["vm_exits"] += 1
        vm.cpu.events["vm_exit.ept_violation"] += 1
        self._bring_in(vm, page)

    def dma(self, vm: VM, page: int, write: bool) -> None:
        """The hypervisor's model of the guest's disk is about to move one of its pages. A page
        the disk will overwrite whole just needs a frame; a page it reads must be there — and if
        the host had swapped it out, the guest is now paging out a page the host already paged
        out: it is read back from the host's swap only to be written to the guest's disk (the
        double-paging problem)."""
        state = vm.state[page]
        if state in (RESIDENT, SHARED):
            return
        if write:
            vm.swapped.pop(page, None)
            self.give_frame(vm, page)
            return
        if state == SWAPPED:
            vm.events["double_paging"] += 1
            self.events["double_paging"] += 1
        self._bring_in(vm, page)

    def _bring_in(self, vm: VM, page: int) -> None:
        state = vm.state[page]
        self.give_frame(vm, page)
        if state == SWAPPED:
            vm.fill(page, vm.swapped.pop(page))
            self.charge(vm, "device", self.profile["swap_io"])
            vm.events["swap_ins"] += 1
            self.events["swap_ins"] += 1
        elif state == BALLOONED:
            vm.events["balloon_refaults"] += 1       # the guest touched a page it gave away
        else:
            vm.events["first_touches"] += 1

    def write_fault(self, vm: VM, page: int) -> None:
        """A write to a write-protected page (after the fact: the memory's watch tells us). A
        shared page's write faults (EPT write violation) and breaks the share; a page protected
        for a migration's dirty log faults only when the log is kept by write protection (with
        the nested table's dirty bits the CPU just sets a bit)."""
        shared = vm.state[page] == SHARED
        if shared or vm.log_traps:
            self.charge(vm, "trap", self.profile["vm_exit"] + self.profile["vm_entry"]
                        + self.profile["hav_handler"])
            vm.cpu.events["vm_exits"] += 1
            vm.cpu.events["vm_exit.ept_write"] += 1
        if shared:
            self._break_share(vm, page)
        else:
            vm.unprotect(page)
        if vm.on_write is not None:
            vm.on_write(vm, page)

    def _break_share(self, vm: VM, page: int) -> None:
        """Copy-on-write: this guest gets a frame of its own with the page's contents."""
        self._release(vm, page)
        vm.unprotect(page)
        self.give_frame(vm, page)
        self.charge(vm, "trap", self.profile["cow_break"])
        vm.events["cow_faults"] += 1
        self.events["cow_faults"] += 1

    # -- reclaiming ------------------------------------------------------------------------
    def _swap_out_victim(self) -> bool:
        """The clock: the next resident private page, of any guest, whose accessed bit is clear
        (the hand clears the bits it passes: a second chance) and that the running guest has
        not just touched. Blind all the same: the host sees which pages were walked to, not
        what the guest keeps in them or means to do with them."""
        clock = self.clock
        for _ in range(2 * len(clock) + 1):
            if not clock:
                return False
            self.clock_hand %= len(clock)
            vm, page = clock[self.clock_hand]
            if vm.state[page] != RESIDENT or vm.frame[page] < 0:
                clock.pop(self.clock_hand)         # shared, swapped or gone since
                continue
            if vm is self.running and page in vm.recent:
                self.clock_hand += 1
                continue
            if page in vm.referenced:
                vm.referenced.discard(page)
                vm.mmu.forget_frame(page)      # so that the next access walks (and sets it)
                self.clock_hand += 1
                continue
            clock.pop(self.clock_hand)
            self.swap_out(vm, page)
            return True
        return False

    def swap_out(self, vm: VM, page: int) -> None:
        content = vm.page_bytes(page)
        self._release(vm, page)
        vm.state[page] = SWAPPED
        vm.swapped[page] = content
        vm.unprotect(page)
        vm.fill(page, ZERO_PAGE)
        self.charge(self.running, "device", self.profile["swap_io"])
        vm.events["swap_outs"] += 1
        self.events["swap_outs"] += 1

    def balloon(self, vm: VM, page: int) -> None:
        """The balloon driver handed this page over: its frame (or swap slot) is the host's."""
        state = vm.state[page]
        if state in (RESIDENT, SHARED):
            self._release(vm, page)
        vm.swapped.pop(page, None)
        vm.unprotect(page)
        vm.state[page] = BALLOONED
        vm.fill(page, ZERO_PAGE)
        self.charge(vm, "hypercall", self.profile["balloon_page"])
        vm.events["ballooned"] += 1
        self.events["ballooned"] += 1

    # -- sharing ---------------------------------------------------------------------------
    def scan(self) -> None:
        """Hash up to scan_pages resident pages; merge those equal to an earlier candidate."""
        vms, count = self.vms, self.setup.scan_pages
        index, page = self.scan_cursor
        total = sum(len(vm.state) for vm in vms)
        for _ in range(min(count, total)):
            vm = vms[index]
            if vm.state[page] == RESIDENT:
                self._scan_page(vm, page)
            page += 1
            if page >= len(vm.state):
                index, page = (index + 1) % len(vms), 0
        self.scan_cursor = (index, page)

    def _scan_page(self, vm: VM, page: int) -> None:
        content = vm.page_bytes(page)
        digest = zlib.crc32(content)
        self.charge(None, "host", self.profile["page_scan"])
        self.events["pages_scanned"] += 1
        found = self.candidates.get(digest)
        if found is None or found == (vm, page):
            self.candidates[digest] = (vm, page)
            return
        other, other_page = found
        if other.state[other_page] not in (RESIDENT, SHARED):
            self.candidates[digest] = (vm, page)
            return
        self.charge(None, "host", self.profile["page_compare"])
        if other.page_bytes(other_page) != content:
            self.candidates[digest] = (vm, page)      # changed since, or a hash collision
            return
        frame = other.frame[other_page]
        self._release(vm, page)
        vm.frame[page] = frame
        self.owners[frame].append((vm, page))
        for owner, owner_page in self.owners[frame]:
            owner.state[owner_page] = SHARED
            owner.protect(owner_page)
        vm.events["shared"] += 1
        self.events["shares"] += 1

    # -- running ---------------------------------------------------------------------------
    def run(self, budget: int = DEFAULT_BUDGET, cancel: Callable[[], bool] | None = None,
            between: Callable[[Host], None] | None = None) -> None:
        """Round-robin: each unfinished guest runs a quantum, then the next; `between` is told
        after every quantum (the migrator's hook). An exception `between` raises stops the run
        there, and calling `run` again goes on exactly where it stopped, as if it never had."""
        quantum = self.setup.quantum
        several = len(self.vms) > 1
        while True:
            live = [vm for vm in self.vms if not vm.finished]
            if not live:
                return
            if self.rest:           # the round a raising `between` stopped: its other guests
                ready, self.rest = self.rest, []
            else:
                ready = [vm for vm in live if vm.index * self.setup.stagger <= self.elapsed()]
            if not ready:           # the next guest has not started yet: the CPU waits
                wait = min(vm.index * self.setup.stagger for vm in live) - self.elapsed()
                self.charge(None, "idle", wait)
                continue
            for place, vm in enumerate(ready):
                if self.elapsed() >= budget:
                    for other in live:
                        if not other.finished:
                            other.machine.advance(budget=0)   # stopped by the budget
                            other.finished = True
                    return
                if several and self.last is not None and self.last is not vm:
                    self.charge(None, "host", self.profile["world_switch"])
                    self.events["world_switches"] += 1
                    if vm.mode.world_switch():   # untagged TLB: the other guest's run emptied it
                        self.events["world_switch_flushes"] += 1
                self.running = self.last = vm
                machine = vm.machine
                machine.advance(budget=min(quantum, budget - self.elapsed()), cancel=cancel)
                self.running = None
                stopped = machine.stopped
                if stopped is not None and stopped.reason == "budget" and \
                        self.elapsed() < budget:
                    machine.stopped = None                # only its quantum is over
                elif stopped is not None:
                    vm.finished = True
                    if stopped.reason == "cancelled":
                        for other in self.vms:
                            other.finished = True
                        return
                if self.setup.sharing and self.elapsed() >= self.next_scan:
                    self.next_scan = self.elapsed() + self.setup.scan_every
                    self.scan()
                self.sample()
                if between is not None:
                    self.rest = ready[place + 1:]
                    between(self)
                    self.rest = []

    def elapsed(self) -> int:
        """Host time: every guest's cycles plus the host's own work."""
        return sum(vm.cpu.cycles for vm in self.vms) + self.work

    def sample(self) -> None:
        now = self.elapsed()
        if self.samples and now - self.samples[-1]["at"] < 50_000:
            return
        self.samples.append({"at": now, "frames": self.frames_used,
                             "shared": sum(vm.state.count(SHARED) for vm in self.vms),
                             "swapped": sum(vm.state.count(SWAPPED) for vm in self.vms),
                             "ballooned": sum(vm.state.count(BALLOONED) for vm in self.vms)})

    # -- what it reports -------------------------------------------------------------------
    def report(self) -> dict:
        return {
            "frames": {"total": self.frames_total, "used": self.frames_used,
                       "peak": self.peak_frames},
            "reclaim": self.setup.reclaim, "sharing": self.setup.sharing,
            "work": dict(self.events), "host_cycles": self.work,
            "guests": [{"index": vm.index + 1, "pages": vm.counts(), "events": dict(vm.events),
                        "memory_map": vm.memory_map()} for vm in self.vms],
            "samples": self.samples,
        }

