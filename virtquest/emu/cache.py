"""The one kind of cache the project keeps for the whole process: bounded, least recently used out
first, and safe to share between threads — the lab, the timeline, the sandbox and the debugger
each run the emulator on a worker thread of their own, and all of them compile code and assemble
the mini-OS through the same caches (docs/design.md, "Threading").

Everything kept in one is deterministic (the same key always makes an equal value), so a value is
made outside the lock: two threads that miss at once may both make it, and `get_or_make` hands
both the one stored first. The lock is held for a few dictionary operations only. None of these
caches is consulted per guest instruction: per block compiled, per run, per level.

Each cache states its bound where it is made, with the reason for it.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_MISSING: Any = object()


class Cache(Generic[K, V]):
    """At most `bound` entries; a lookup makes an entry the most recent, and a new entry beyond
    the bound pushes out the least recent one."""

    def __init__(self, bound: int):
        if bound < 1:
            raise ValueError(f"a cache needs room for at least one entry, not {bound}")
        self.bound = bound
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, default: Any = None) -> Any:
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> V:
        """Keep `value` under `key` (replacing what was there) as the most recent entry."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            if len(self._entries) > self.bound:
                self._entries.popitem(last=False)
        return value

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value kept under `key`, else `make()`'s, kept — unless another thread kept one
        meanwhile, which is then the one returned."""
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is not _MISSING:
                self._entries.move_to_end(key)
                return value
        made = make()
        with self._lock:
            value = self._entries.setdefault(key, made)
            if value is not made:              # another thread's, kept meanwhile
                self._entries.move_to_end(key)
            elif len(self._entries) > self.bound:
                self._entries.popitem(last=False)
        return value

    def pop(self, key: K, default: Any = None) -> Any:
        """Take the value kept under `key` out of the cache (`default` when there is none): for
        a value only one user may have, such as a suspended run that goes on in place."""
        with self._lock:
            return self._entries.pop(key, default)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def cached(bound: int, key: Callable[..., Hashable] | None = None
           ) -> Callable[[Callable[..., V]], Callable[..., V]]:
    """A function's results kept in a `Cache` of `bound` entries, by its (hashable, positional)
    arguments, or by what `key` makes of them (numbers are quicker to hash than objects whose
    hash is Python code); the cache is the function's `cache` attribute."""

    def wrap(function: Callable[..., V]) -> Callable[..., V]:
        cache: Cache[Hashable, V] = Cache(bound)

        @functools.wraps(function)
        def call(*args: Any) -> V:
            name = args if key is None else key(*args)
            value = cache.get(name, _MISSING)
            if value is _MISSING:
                value = cache.get_or_make(name, lambda: function(*args))
            return value

        call.cache = cache  # type: ignore[attr-defined]
        return call

    return wrap
