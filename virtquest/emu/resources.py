"""Where the shipped data lives: assets/ (mini-OS, programs, profiles) and levels/."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"
GUEST = ASSETS / "guest"
PROGRAMS = ASSETS / "programs"
PROFILES = ASSETS / "profiles"
LEVELS = ROOT / "levels"
QUIZZES = LEVELS / "quizzes"
DOCS = ROOT / "docs"
