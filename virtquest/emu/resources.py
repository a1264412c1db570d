"""Where the shipped data lives: the mini-OS, programs, profiles and translations (`assets/`) and
the levels and quizzes (`levels/`).

The repository keeps both folders at its top level. An installed wheel carries them inside the
package, as `virtquest/assets` and `virtquest/levels` (pyproject.toml maps the two folders onto
those package names at build time, so each file exists once in the source tree). The installed
copy wins when it exists; otherwise the checkout's folders are used (a source tree on sys.path, or
an editable install)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
CHECKOUT = PACKAGE.parent


def _shipped(name: str) -> Path:
    """The folder `name` as installed inside the package, or else the checkout's."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else CHECKOUT / name


ASSETS = _shipped("assets")
GUEST = ASSETS / "guest"
PROGRAMS = ASSETS / "programs"
PROFILES = ASSETS / "profiles"
LEVELS = _shipped("levels")
QUIZZES = LEVELS / "quizzes"
