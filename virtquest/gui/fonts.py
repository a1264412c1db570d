"""Detects whether any installed font covers Hangul, and says how to get one when none does."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

INSTALL_HINT = "sudo apt-get install fonts-nanum   (or: fonts-noto-cjk)"


def hangul_font_family() -> str | None:
    """A font family that can draw Korean, or None."""
    preferred = ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic",
                 "Apple SD Gothic Neo", "UnDotum", "Baekmuk Gulim")
    families = QFontDatabase.families(QFontDatabase.WritingSystem.Korean)
    for name in preferred:
        if name in families:
            return name
    return families[0] if families else None
