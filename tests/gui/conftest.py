"""GUI test fixtures: a store in the test's own home, content loaded once, a session over both."""

from __future__ import annotations

import pytest

from virtquest.gui.models import Content, LearnerSession, load_content
from virtquest.progress.store import open_store


@pytest.fixture(scope="session")
def content() -> Content:
    """The shipped levels and quiz questions (loading them takes a second: once per run)."""
    return load_content()


@pytest.fixture
def store(qapp):
    from virtquest.gui.i18n import install_language

    with open_store() as opened:
        yield opened
        install_language("en")  # views still open retranslate while the store is there


@pytest.fixture
def session(qapp, store, content) -> LearnerSession:
    from virtquest.gui.i18n import install_language

    install_language("en")
    return LearnerSession(store, content, hangul_font="NanumGothic")


@pytest.fixture(autouse=True)
def _clean_app(qapp):
    """After each test, the closed widgets are really gone (they must not see the next test's
    theme or language change after their store closed) and the UI speaks English again."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from virtquest.gui.i18n import install_language

    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    install_language("en")


def question_of(content: Content, kind: str):
    """The first shipped question of a kind."""
    return next(q for q in content.questions if q.kind == kind)
