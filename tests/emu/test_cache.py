"""The one cache type: least recently used out first, never over its bound, and one value per key
however many threads ask for it at once."""

from __future__ import annotations

import random
import sys
import threading
import time

import pytest

from virtquest.emu.cache import Cache, cached

THREADS = 8


@pytest.fixture
def switch_often():
    """Let threads take turns every microsecond, so they meet inside the cache's methods."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def _hammer(work, count: int = THREADS) -> None:
    """Run `work(n)` on `count` threads at once; an exception in any of them fails the test."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as exc:     # handed to the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_the_least_recently_used_entry_goes_first():
    cache: Cache[str, int] = Cache(3)
    for number, key in enumerate("abc"):
        cache.put(key, number)
    assert cache.get("a") == 0                   # now the most recent
    cache.put("d", 3)
    assert "b" not in cache and len(cache) == 3
    assert [cache.get(key) for key in "acd"] == [0, 2, 3]
    assert cache.get("b", "gone") == "gone"


def test_a_cache_needs_room():
    with pytest.raises(ValueError):
        Cache(0)


@pytest.mark.usefixtures("switch_often")
def test_threads_never_push_it_over_its_bound():
    bound = 64
    cache: Cache[int, tuple] = Cache(bound)
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append(len(cache))

    def work(n: int) -> None:
        rng = random.Random(n)
        for _ in range(20_000):
            key = rng.randrange(4 * bound)          # four keys for each place: evictions
            if rng.random() < 0.5:
                value = cache.get_or_make(key, lambda key=key: (key, object()))
            else:
                value = cache.put(key, (key, object()))
            assert value[0] == key
            hit = cache.get(rng.randrange(4 * bound))
            assert hit is None or isinstance(hit, tuple)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        _hammer(work)
    finally:
        done.set()
        watcher.join()
    assert seen and max(seen) <= bound
    assert len(cache) == bound
    assert all(cache.get(key, (key,))[0] == key for key in range(4 * bound))


@pytest.mark.usefixtures("switch_often")
def test_every_thread_gets_the_value_stored_first():
    cache: Cache[int, object] = Cache(16)
    made: list[int] = []
    got: dict[int, list[object]] = {key: [] for key in range(16)}

    def make(key: int) -> object:
        made.append(key)
        time.sleep(0.002)                  # long enough for the other threads to miss too
        return object()

    def work(n: int) -> None:
        for _ in range(200):
            for key in range(16):
                got[key].append(cache.get_or_make(key, lambda key=key: make(key)))

    _hammer(work)
    assert len(made) > 16                  # some values were made twice, at the same time …
    assert all(len({id(value) for value in values}) == 1 for values in got.values())  # … one kept
    assert all(values[0] is cache.get(key) for key, values in got.items())


@pytest.mark.usefixtures("switch_often")
def test_a_cached_function_keeps_its_bound_and_calls_through_on_a_miss():
    calls: list[int] = []

    @cached(8)
    def square(x: int) -> int:
        calls.append(x)
        return x * x

    assert [square(x) for x in (2, 3, 2)] == [4, 9, 4] and calls == [2, 3]
    assert square.__wrapped__(5) == 25 and calls == [2, 3, 5]   # the function itself

    def work(n: int) -> None:
        rng = random.Random(n)
        for _ in range(5_000):
            x = rng.randrange(32)
            assert square(x) == x * x

    _hammer(work)
    assert len(square.cache) == 8

    @cached(8, key=lambda word: word.lower())
    def length(word: str) -> int:
        calls.append(word)
        return len(word)

    calls.clear()
    assert [length("VQ32"), length("vq32")] == [4, 4] and calls == ["VQ32"]   # one key for both
