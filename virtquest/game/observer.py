"""Plain-Python change notices for the Qt-free models: a model announces a change through an
`Event`, and whatever shows the model (a Qt view, a test) connects a callback and renders from
the model's state. No Qt here: the game layer stays usable from the command line and tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Event:
    """One kind of change a model announces. Callbacks run in the order they were connected,
    on the thread that changed the model (for the lab's model: the UI thread)."""

    __slots__ = ("_callbacks",)

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            callback(*args)
