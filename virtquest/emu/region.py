"""Regions: several basic blocks of guest code compiled into one Python function (a part of the
fast path; see fastpath.py).

Kernel code is made of short blocks — a compare and a branch, a call, a loop of three blocks that
scans a table. Run one by one, each costs a trip through the dispatcher. A region follows the
direct branches (conditional, `jmp`, `loop`, `call` to a known address) and compiles
every block it reaches; a local `pc` says which block runs next. A branch to another page goes
on only while the TLB maps that page to the frame the region was compiled from. An indirect
branch (`ret`, `jmp r`, `call r`) or an instruction the fast path cannot compile ends the run.

A block holding a site (cpu.sites) is left out (`blocked`, given by the dispatcher), and when the
hypervisor translates blocks (binary translation) a block is entered only when its `on_block`
would just count a hit (`hit`).

Exactness is kept as in single blocks, with two more rules: before entering the next block the
code checks that every instruction boundary of that block still comes before the budget's end or
the timer (`room`, in cycles, given by the dispatcher), and cycles and instructions are counted per
block in locals, so a fault inside a region is accounted up to the faulting instruction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from virtquest.emu.blockgen import Generator, code_of, fault_table, flag_step, literal, short_jumps
from virtquest.emu.encoding import Instruction
from virtquest.emu.flaggen import Debt
from virtquest.emu.isa import ARITH, INSTRUCTION_SIZE, M32
from virtquest.emu.memory import PAGE_SHIFT, PAGE_SIZE

MAX_REGION = 96          # instructions in one region
MAX_NODES = 16
COPY_MAX = 6             # a block this small is written into every branch to it (see source)
COPY_BUDGET = 3 * MAX_REGION      # … while the region's code holds fewer instructions
# One counter for the cycles and the instructions a region has run (see RegionGenerator.packed):
# `left` = (cycles left) << COUNT_BITS minus the instructions run, the room taken at most ROOM_CAP
# cycles a call, so the counter stays a one-digit Python int (below 2**30).
COUNT_BITS = 16
ROOM_CAP = (1 << 14) - 1


class RegionLayout(NamedTuple):
    """Where each instruction of a region sits, by its flat index (for the fault path and the
    check for sites): the cycles and instructions of its block before it, whether it starts its
    block, and that block's start address."""

    cycles_before: list[int]
    count_before: list[int]
    starts_block: list[bool]
    block_start: list[int]


@dataclass
class Node:
    start: int                              # guest-virtual address
    ins: list[Instruction]
    frame: int                              # the physical page it was found on
    succ: list[int] = field(default_factory=list)   # targets inside the region

    @property
    def after(self) -> int:
        """The address after its last instruction (where a call in it returns)."""
        return (self.start + INSTRUCTION_SIZE * len(self.ins)) & M32

    @property
    def last_flow(self) -> str | None:
        """How its last instruction changes the flow of control ("call", "return", …), if it
        does."""
        flow = code_of(self.ins[-1], (self.after - INSTRUCTION_SIZE) & M32).flow
        return None if flow is None else flow.kind

    @property
    def targets(self) -> list[int]:
        """Where its last instruction can go next, if that is a direct branch."""
        return direct_targets(self.ins[-1], (self.after - INSTRUCTION_SIZE) & M32)


def direct_targets(ins: Instruction, addr: int) -> list[int]:
    """Where a branch at addr can go next: [] for an indirect one."""
    code = code_of(ins, addr)
    target = code.static_target
    if target is None:
        return []
    if code.flow.kind in ("jump", "call"):
        return [target]
    return [target, (addr + INSTRUCTION_SIZE) & M32]


def discover(start: int, decode_run) -> list[Node] | None:
    """The blocks reachable from `start`; None when that is a single block. `decode_run(va)`
    gives the compilable instructions of the basic block at va ([] if none) and the physical
    page they were read from."""
    nodes: dict[int, Node] = {}
    order: list[int] = []
    work, total = [start], 0
    while work and len(order) < MAX_NODES:
        va = work.pop(0)
        if va in nodes:
            continue
        ins, frame = decode_run(va)
        if not ins or total + len(ins) > MAX_REGION:
            continue
        node = Node(va, ins, frame)
        targets = node.targets
        if va != start and targets and targets[0] == va:
            continue           # a loop of its own: its own compiled block runs it faster
        nodes[va] = node
        order.append(va)
        total += len(ins)
        if node.last_flow == "call" and targets:
            targets = [*targets, node.after]     # where its `ret` comes back
        for t in targets:
            if (t & (PAGE_SIZE - 1)) <= PAGE_SIZE - INSTRUCTION_SIZE:
                work.append(t)
    # A `ret` may come back to any call's return point in the region (checked when it runs).
    returns = [nodes[v].after for v in order if nodes[v].last_flow == "call"]
    for va in order:
        node = nodes[va]
        ends = returns if node.last_flow == "return" else node.targets
        node.succ = [t for t in dict.fromkeys(ends) if t in nodes]
    if len(order) < 2 or not any(nodes[v].succ for v in order):
        return None
    return [nodes[v] for v in order]


class RegionGenerator(Generator):
    """Python source for a region. Flat instruction index k runs over the nodes in order; faults
    record k, and the cycles and instructions of the blocks already run (`room - left`,
    `cnt`)."""

    def __init__(self, nodes: list[Node], costs_of):
        self.nodes = nodes
        instructions, addrs, costs, self.node_of = [], [], [], []
        self.base: list[int] = []
        for n, node in enumerate(nodes):
            self.base.append(len(instructions))
            for j, ins in enumerate(node.ins):
                instructions.append(ins)
                addrs.append((node.start + INSTRUCTION_SIZE * j) & M32)
                costs.append(costs_of(ins))
                self.node_of.append(n)
        super().__init__(instructions, addrs, costs, loops=False)
        self.bulk = None
        self.inline = self.inline or len({node.start >> PAGE_SHIFT for node in nodes}) > 1
        self.deferred = None
        self.live = self._region_liveness()
        self.cover_at = [self.cover(b, b + len(node.ins)) for b, node in zip(self.base, nodes,
                                                                              strict=True)]
        # Cycles and instructions in one counter, when every instruction costs a cycle or more:
        # a block is entered only while fewer than ROOM_CAP cycles have run, so fewer than
        # 2**COUNT_BITS instructions have (a block that costs nothing would break the bound).
        self.packed = all(c >= 1 for c in costs)

    def segments(self) -> list[tuple[int, int]]:
        return [(b, b + len(node.ins)) for b, node in zip(self.base, self.nodes, strict=True)]

    # -- facts the dispatcher and the fault path need -----------------------------------------
    def node_cost(self, n: int) -> int:
        b = self.base[n]
        return sum(self.costs[b:b + len(self.nodes[n].ins)])

    def node_inner(self, n: int) -> int:
        b = self.base[n]
        return sum(self.costs[b:b + len(self.nodes[n].ins) - 1])

    def within(self) -> RegionLayout:
        """Per flat index: cycles and instructions of its node before it, whether it starts one,
        and where its node starts."""
        pre_cost, pre_count, first, starts = [], [], [], []
        for k in range(len(self.ins)):
            n = self.node_of[k]
            b = self.base[n]
            pre_cost.append(sum(self.costs[b:k]))
            pre_count.append(k - b)
            first.append(k == b)
            starts.append(self.nodes[n].start)
        return RegionLayout(pre_cost, pre_count, first, starts)

    # -- liveness of the flags, block by block ---------------------------------------------
    def _region_liveness(self) -> list[bool]:
        """Whether anyone can see the flags each instruction writes, within its own block: every
        block may end the region's run (the room runs out, a hook waits), so the flags at its end
        count as seen. The flags are then owed, not made (flaggen.py), and a branch to a block
        that overwrites them before anyone looks drops the debt."""
        live = [False] * len(self.ins)
        for n, node in enumerate(self.nodes):
            live_after = ARITH
            b = self.base[n]
            for k in range(b + len(node.ins) - 1, b - 1, -1):
                live[k], live_after = flag_step(self.codes[k], live_after)
        return live

    # -- source ------------------------------------------------------------------------------
    def _where(self, k: int, owed: list | None = None) -> None:
        """A place (see Generator._where), with the count of the blocks run before it that is not
        yet taken off `left`: a branch into a block written in place (inlined) owes its block's
        cycles and instructions (`pending`) until the next transfer or exit, whose guard and
        accounting add it, so a run of inlined blocks lowers `left` once."""
        super()._where(k, owed)
        self.site_pending.append(self.pending)

    def _dirty(self, k: int) -> tuple[list[int], bool]:
        regs = sorted(set().union(*self.written))
        return regs, any(self.flag_writer)

    def source(self) -> str:
        # The region's first block is the body of a loop of its own: a branch back to it is
        # `continue`. A block that one branch goes to, or a small one (COPY_MAX instructions)
        # that several go to, is written inside each branch to it (inlined): no `pc` to set
        # and test on the way in, and the flags owed there stay owed. Any other block (and one
        # a branch reaches from inside itself) is found by `pc` in a tree of `pc <` tests
        # outside that loop — log2(blocks) comparisons; the first block's loop is left with
        # `break` to get there. Each block's code ends in `continue`, `break` or `return`.
        entries = Counter(t for node in self.nodes for t in node.succ)
        index = {node.start: i for i, node in enumerate(self.nodes)}
        self.inlined = {index[start] for start, n in entries.items()
                        if n == 1 and start != self.nodes[0].start}
        self.copied = {index[start] for start, n in entries.items()
                       if n > 1 and start != self.nodes[0].start
                       and len(self.nodes[index[start]].ins) <= COPY_MAX}
        tree: set[int] = set()
        while True:
            self.dk_in, self.carry_into = {}, {}
            self._blocks(tree)
            self.dk_in = self._carried_flags()
            if self.dk_in:         # again, with the flags branches carry into blocks
                self._blocks(tree)
            if self.wanted <= tree:
                break
            tree |= self.wanted    # blocks reached by `pc` join the tree, and all is written again
        body = short_jumps(self.lines)
        text = "\n".join(body)
        out = ["def block(cpu, R, room, ctx, blocked, hit):",
               "    r0, r1, r2, r3, r4, r5, r6, r7 = R",
               "    ef = cpu.eflags",
               *([f"    if room > {ROOM_CAP}: room = {ROOM_CAP}"] if self.packed else []),
               (f"    left = room << {COUNT_BITS}" if self.packed else "    left, cnt = room, 0")
               + (f"; pc = {hex(self.nodes[0].start)}" if tree else "")
               + ("; dk = 0" if self.dk_in else ""),
               "    free = not blocked and hit is None"]
        out += self.prologue(text)
        out += ["    try:", "        while True:"]
        out += body
        out += ["    except _FAULTS as x:", *fault_table(out, self.sites), *self._fault_debts(),
                "        R[:] = r0, r1, r2, r3, r4, r5, r6, r7",
                "        cpu.eflags = ef",
                "        ctx.fault_index = k",
                *self._fault_counts(),
                "        raise"]
        return literal("\n".join(out)) + "\n"

    def _fault_counts(self) -> list[str]:
        """The fault handler's lines that tell the cycles and instructions of the blocks already
        run."""
        if not self.packed:
            return ["        ctx.fault_cycles, ctx.fault_count = room - left, cnt"]
        owed = "" if not any(self.site_pending) else f" + {tuple(self.site_pending)}[s]"
        return [f"        used = (room << {COUNT_BITS}) - left{owed}",
                f"        ctx.fault_cycles, ctx.fault_count = used >> {COUNT_BITS}, "
                f"used & {(1 << COUNT_BITS) - 1}"]

    def _blocks(self, tree: set[int]) -> None:
        """The body of the region's loop: the blocks in `tree` (found by `pc`), then the first
        block's own loop."""
        self.lines, self.sites, self.wanted = [], [(0, [])], set()
        self.pending, self.site_pending = 0, [0]
        self.stack: list[int] = []
        self.emitted = 0                       # instructions written so far, copies too
        if tree:
            self.indent, self.in_first = 3, False
            self.emit(f"if pc != {hex(self.nodes[0].start)}:")
            self._tree(sorted(tree, key=lambda n: self.nodes[n].start), 4)
            self.indent = 3
            self.emit("while True:")
            self.indent += 1
        else:
            self.indent = 3
        self.in_first, self.pending = True, 0
        self._node(0)

    def _tree(self, order: list[int], indent: int) -> None:
        if len(order) == 1:
            self.indent, self.pending = indent, 0
            self._node(order[0])
            return
        middle = len(order) // 2
        self.indent = indent
        self.emit(f"if pc < {hex(self.nodes[order[middle]].start)}:")
        self._tree(order[:middle], indent + 1)
        self.indent = indent
        self.emit("else:")
        self._tree(order[middle:], indent + 1)

    def _node(self, n: int, owed: list | None = None) -> None:
        node = self.nodes[n]
        self.node, self.skip = n, 0          # (blocks are not written in index order)
        self.stack.append(n)
        self.emitted += len(node.ins)
        # each block starts with exact flags, or owing those of the one setter `dk` names, or
        # (inlined) those of the branch into it
        self.owed = owed if owed is not None else [self.dk_in[n]] if n in self.dk_in else []
        b = self.base[n]
        for j, ins in enumerate(node.ins):
            k = b + j
            if j == len(node.ins) - 1 and self.codes[k].flow is not None:
                self._region_branch(n, k)
            else:
                self._instruction(k, ins)
        last = self.codes[b + len(node.ins) - 1]
        if last.flow is None and last.compilable:
            self._exit(b + len(node.ins), hex(node.after), ended=False)
        self.stack.pop()

    def _region_branch(self, n: int, k: int) -> None:
        outer, self.temp_k = self.temp_k, k
        try:
            self._region_branch_code(n, k)
        finally:
            self.temp_k = outer

    def _region_branch_code(self, n: int, k: int) -> None:
        code, e = self.codes[k], self.emit
        flow = code.flow
        fall = (self.addrs[k] + INSTRUCTION_SIZE) & M32
        indirect = code.static_target is None
        if indirect and not (flow.kind == "return" and self.nodes[n].succ):
            self._one(k, self.ins[k])             # indirect: leaves the region
            return
        self._before_reading(k)
        if code.may_fault:
            self._sync(k)
        self._parts(k, code.parts)                # a return's pop, a call's push, loop's ecx
        if self.packed:       # owed until the next transfer or exit (see _where)
            self.pending += (self.node_cost(n) << COUNT_BITS) + len(self.nodes[n].ins)
        else:
            e(f"left -= {self.node_cost(n)}")
            e(f"cnt += {len(self.nodes[n].ins)}")
        index = {node.start: i for i, node in enumerate(self.nodes)}
        succ = self.nodes[n].succ
        if flow.kind == "branch" and code.static_target != fall:   # each way knows where it goes
            e(f"if {self.condition(flow)}:")
            for target in (code.static_target, fall):
                self.indent += 1
                e(f"nt = {hex(target)}")
                if target in succ:
                    self._goto(n, code, index[target], known=True)
                self.indent -= 1
                if target != fall:
                    e("else:")
        else:
            e(f"nt = {hex(fall) if flow.kind == 'branch' else flow.target}")
            for target in succ:
                self._goto(n, code, index[target], known=flow.kind != "return")
        self._leave("nt", "0", "0", ended=True)

    def _goto(self, n: int, code, t: int, known: bool) -> None:
        """Go on to block t if there is room, it is allowed, (`known` False) nt is its address,
        and (onto another page) the TLB maps it to the same frame, usable here — the
        interpreter's fetch would hit that entry."""
        e, to = self.emit, self.nodes[t]
        guard = "" if known else f"nt == {hex(to.start)} and "
        inner = self.node_inner(t)
        guard += f"left > {(inner << COUNT_BITS) + self.pending if self.packed else inner} and "
        if to.start >> PAGE_SHIFT != self.nodes[n].start >> PAGE_SHIFT:
            guard += f"(e := tg({hex(to.start >> PAGE_SHIFT)})) is not None and " \
                     f"e.frame == {hex(to.frame)} and (e.user or sup) and "
        if code.reads_memory or code.writes_memory:   # it may have pushed a TLB entry out
            guard += "not end_block and "
        e(f"if {guard}(free or {hex(to.start)} not in blocked and (hit is None or hit(nt))):")
        self.indent += 1
        if t not in self.stack and (t in self.inlined or t in self.copied and
                                    self.emitted + len(to.ins) <= COPY_BUDGET):
            self._inline(t)
        else:
            self._transition(t)
            if self.pending:
                e(f"left -= {self.pending}")
            if t == 0 and self.in_first:
                e("continue")
            else:
                if t:
                    self.wanted.add(t)
                e(f"pc = {hex(to.start)}")
                e("break" if self.in_first else "continue")
        self.indent -= 1

    def _inline(self, t: int) -> None:
        """Block t, written here: the one branch into it. It goes on owing the flags it does not
        overwrite first; the block being written resumes as it was."""
        state = self.node, self.skip, self.owed, self.temp_k, self.fused, self.pending
        self.temp_k = None
        self._node(t, [d for d in self.owed if d.writes & ~self.cover_at[t]])
        self.node, self.skip, self.owed, self.temp_k, self.fused, self.pending = state

    # -- flags carried from block to block (see flaggen.py) -------------------------------------
    def _transition(self, t: int) -> None:
        """On a branch into block t: the owed flags t does not overwrite first are paid — or, if
        it is the one setter t can be told of, named in `dk`."""
        carried = [d for d in self.owed if d.writes & ~self.cover_at[t]]
        self.carry_into.setdefault(t, []).append(carried)
        marker = self.dk_in.get(t)
        if marker is None:
            self._pay(debts=carried)
            return
        setters = {d.setter for d in marker.chain}
        if len(carried) == 1 and carried[0].setter in setters and not carried[0].chain:
            self.emit(f"dk = {carried[0].setter + 1}")
        else:
            self._pay(debts=carried)
            self.emit("dk = 0")

    def _carried_flags(self) -> dict[int, Debt]:
        """Per block, the debt branches into it may carry: one plain setter's flags (several
        at once are paid at the branch)."""
        out = {}
        for t, debts in self.carry_into.items():
            chain = {d[0].setter: d[0] for d in debts if len(d) == 1 and d[0].guard is None
                     and not d[0].chain}
            if chain:
                out[t] = Debt("", (), -1, chain=tuple(chain.values()))
        return out

    def _run_limit(self, k: int) -> int:
        node = self.node_of[k]
        return self.base[node] + len(self.nodes[node].ins) - 1   # not the node's last

    def _exit(self, count: int, next_eip: str, ended: bool, step: bool = False) -> None:
        b = self.base[self.node]
        self._leave(next_eip, str(sum(self.costs[b:count])), str(count - b), ended, step)

    def _leave(self, next_eip: str, cost: str, count: str, ended: bool,
               step: bool = False) -> None:
        e = self.emit
        self._pay()
        self._writeback(*self._dirty(0))
        e(f"cpu.eip = {next_eip}")
        if self.packed:
            e(f"used = (room << {COUNT_BITS}) - left" +
              (f" + {self.pending}" if self.pending else ""))
            e(f"cpu.cycles += (used >> {COUNT_BITS}) + {cost}")
            e(f"cpu.instructions += (used & {(1 << COUNT_BITS) - 1}) + {count}")
        else:
            e(f"cpu.cycles += room - left + {cost}")
            e(f"cpu.instructions += cnt + {count}")
        self._finish(ended, step)
