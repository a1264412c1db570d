"""Fonts: whether any installed font covers Hangul (and how to get one), and the app-wide font scale."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

INSTALL_COMMAND = "sudo apt-get install fonts-nanum"
BASE_POINT_SIZE = 10.0
MIN_SCALE, MAX_SCALE = 1.0, 2.0  # what the settings view offers: 100–200 %
PREFERRED = ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic",
             "Apple SD Gothic Neo", "NanumBarunGothic", "UnDotum", "Baekmuk Gulim")
MONOSPACE = ("NanumGothicCoding", "D2Coding", "Noto Sans Mono CJK KR", "DejaVu Sans Mono")


def hangul_font_family() -> str | None:
    """A font family that can draw Korean, or None."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.Korean)
    for name in PREFERRED:
        if name in families:
            return name
    return families[0] if families else None


def monospace_family() -> str:
    """A fixed-pitch family for code, one that also draws Hangul when there is one."""
    families = set(QFontDatabase.families())
    for name in MONOSPACE:
        if name in families:
            return name
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()


def clamp_scale(scale: float) -> float:
    return max(MIN_SCALE, min(MAX_SCALE, float(scale)))


def point_size(scale: float, factor: float = 1.0) -> float:
    """The point size of text `factor` times the body text at font scale `scale`."""
    return round(BASE_POINT_SIZE * clamp_scale(scale) * factor, 1)


def apply_font(app: QApplication, family: str | None, scale: float) -> QFont:
    """Set the app-wide font: the Hangul family when there is one, scaled."""
    font = QFont(app.font())
    if family:
        font.setFamilies([family])
    font.setPointSizeF(point_size(scale))
    app.setFont(font)
    return font
