"""Shared test set-up: Qt runs offscreen, progress lives in a temporary home."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The shipped content only: a developer's own content folders must not change what tests see.
os.environ.pop("VIRTQUEST_CONTENT", None)

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Every test gets its own VIRTQUEST_HOME so no test touches a real learner's progress."""
    monkeypatch.setenv("VIRTQUEST_HOME", str(tmp_path / "vq-home"))
