"""Light and dark themes and the text size, applied to every widget without rebuilding a view.

The look is Fusion, a QPalette per theme, and one stylesheet that never changes: it holds the
rules of both themes, each rule matching only widgets whose `vq_theme` property names its theme.
No font size is in the stylesheet: body text is the application font, and a label with a heading
role (title, heading, big, stars) gets a font of its own sized from it. Muted text is drawn in the
palette's placeholder colour and stars in a palette of their own, so most labels need no rule.
`AppStyle` dresses every widget in its theme, role font and role colour as Qt polishes it, so a
widget made later (a new quiz question, a level opened) looks right too.

Fonts and palettes set on the application reach every widget as they would without a stylesheet
(Qt::AA_UseStyleSheetPropagationInWidgetStyles). So a new theme sets the palette and re-polishes
only the widgets the stylesheet colours; a new text size sets the application font and
re-polishes only the labels with a role's font and the widgets sized in em. (Replacing the
application stylesheet instead re-polishes every widget once for each of its ancestors: over a
second with every view built.) `scripts/appearance_timing.py` measures both.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QLabel,
    QListWidget,
    QProxyStyle,
    QRadioButton,
    QSlider,
    QStyleFactory,
    QWidget,
)

from virtquest.gui.fonts import apply_font

THEMES = ("light", "dark")
THEME_PROPERTY = "vq_theme"
# A label's role: its size as a multiple of body text and whether it is bold; its text colour.
ROLE_FONTS: dict[str, tuple[float, bool]] = {
    "title": (1.6, True), "heading": (1.25, True), "big": (1.1, False), "stars": (1.1, False)}
ROLE_COLOURS = {"stars": "star"}                                  # one the palette lacks
ROLE_FOREGROUND = {"muted": QPalette.ColorRole.PlaceholderText}   # one it has
_FONT_ROLE = "vq_font_role"      # the role whose font a widget was given
_COLOUR_ROLE = "vq_colour_role"  # the role whose text colour a widget was given
_current: dict = {"theme": "light"}   # as last applied (asked at every polish: kept here)
SUB_CONTROLLED = (QRadioButton, QCheckBox, QSlider)   # styled in their parts, sized in em

COLORS: dict[str, dict[str, str]] = {
    "light": {
        "window": "#f4f6f9", "base": "#ffffff", "alt": "#eef1f6", "text": "#1c2330",
        "muted": "#5b6577", "border": "#d5dbe5", "accent": "#2f6bd8", "accent_text": "#ffffff",
        "sidebar": "#e7ecf3", "header": "#ffffff", "right": "#1f7a3a", "wrong": "#c0392b",
        "right_bg": "#e5f5ea", "wrong_bg": "#fbe9e7", "star": "#e0a100", "lock": "#8a93a3",
        "banner": "#fff3c4", "banner_text": "#4d3b00", "chart_a": "#2f6bd8", "chart_b": "#c9d3e3",
    },
    "dark": {
        "window": "#1d2127", "base": "#262b33", "alt": "#2d333c", "text": "#e4e8ee",
        "muted": "#9aa4b5", "border": "#3a414d", "accent": "#5c9bff", "accent_text": "#0d1117",
        "sidebar": "#171a1f", "header": "#22262d", "right": "#5fcf80", "wrong": "#ff7b6b",
        "right_bg": "#1f3a29", "wrong_bg": "#43231f", "star": "#ffc53d", "lock": "#6d7685",
        "banner": "#4a3e12", "banner_text": "#ffe9a8", "chart_a": "#5c9bff", "chart_b": "#3f4754",
    },
}


def system_theme() -> str:
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def resolve_theme(setting: object) -> str:
    return setting if setting in THEMES else system_theme()  # type: ignore[return-value]


def palette(theme: str) -> QPalette:
    c = COLORS[theme]
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: c["window"], QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.Base: c["base"], QPalette.ColorRole.AlternateBase: c["alt"],
        QPalette.ColorRole.Text: c["text"], QPalette.ColorRole.Button: c["alt"],
        QPalette.ColorRole.ButtonText: c["text"], QPalette.ColorRole.Highlight: c["accent"],
        QPalette.ColorRole.HighlightedText: c["accent_text"],
        QPalette.ColorRole.ToolTipBase: c["base"], QPalette.ColorRole.ToolTipText: c["text"],
        QPalette.ColorRole.PlaceholderText: c["muted"], QPalette.ColorRole.Link: c["accent"],
        QPalette.ColorRole.Mid: c["border"], QPalette.ColorRole.Midlight: c["alt"],
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(c["lock"]))
    return pal


def _rules(c: dict[str, str]) -> str:
    """The rules a palette cannot say (cards, the sidebar, verdict colours), in one theme's
    colours. Lengths that grow with the text are in em (the application font's line height):
    a check box's indicator is about 1.3 times the body text's point size."""
    return f"""
QLabel[verdict="right"] {{ color: {c['right']}; font-weight: bold; }}
QLabel[verdict="wrong"] {{ color: {c['wrong']}; font-weight: bold; }}
QRadioButton[verdict="right"]:disabled {{ color: {c['right']}; font-weight: bold; }}
QRadioButton[verdict="wrong"]:disabled {{ color: {c['wrong']}; font-weight: bold; }}
QRadioButton::indicator {{ width: 0.85em; height: 0.85em; }}
QCheckBox::indicator {{ width: 0.85em; height: 0.85em; }}
QFrame[role="card"] {{ background: {c['base']}; border: 1px solid {c['border']};
    border-radius: 8px; }}
QFrame[role="card"][state="locked"] {{ background: {c['alt']}; }}
QFrame[role="card"][state="next"] {{ border: 2px solid {c['accent']}; }}
QFrame[role="feedback"][verdict="right"] {{ background: {c['right_bg']};
    border: 1px solid {c['right']}; border-radius: 8px; }}
QFrame[role="feedback"][verdict="wrong"] {{ background: {c['wrong_bg']};
    border: 1px solid {c['wrong']}; border-radius: 8px; }}
QFrame[role="level"] {{ border-radius: 6px; border: 2px solid transparent; }}
QFrame[role="level"]:hover {{ background: {c['alt']}; }}
QFrame[role="level"]:focus {{ border: 2px solid {c['accent']}; }}
QFrame#header {{ background: {c['header']}; border-bottom: 1px solid {c['border']}; }}
QFrame#banner {{ background: {c['banner']}; border-bottom: 1px solid {c['border']}; }}
QFrame#banner QLabel {{ color: {c['banner_text']}; }}
QListWidget#sidebar {{ background: {c['sidebar']}; border: none; outline: 0;
    padding-top: 6px; }}
QListWidget#sidebar::item {{ padding: 8px 12px; border-radius: 6px; margin: 2px 6px; }}
QListWidget#sidebar::item:selected {{ background: {c['accent']}; color: {c['accent_text']}; }}
QPushButton {{ background: {c['alt']}; border: 1px solid {c['border']}; border-radius: 6px;
    padding: 5px 14px; }}
QPushButton:hover {{ border-color: {c['accent']}; }}
QPushButton:focus {{ border: 2px solid {c['accent']}; }}
QPushButton:disabled {{ color: {c['lock']}; }}
QPushButton:checked {{ background: {c['accent']}; color: {c['accent_text']};
    border: 2px solid {c['text']}; font-weight: bold; }}
QPushButton[role="primary"] {{ background: {c['accent']}; color: {c['accent_text']};
    border: none; border-radius: 6px; padding: 6px 16px; font-weight: bold; }}
QPushButton[role="primary"]:disabled {{ background: {c['border']}; color: {c['lock']}; }}
QPushButton[role="primary"]:focus {{ border: 2px solid {c['text']}; }}
QScrollArea {{ border: none; }}
QTreeWidget::item {{ padding: 3px 2px; }}
QSlider::groove:horizontal {{ height: 0.26em; background: {c['border']}; border-radius: 0.13em; }}
QSlider::sub-page:horizontal {{ background: {c['accent']}; border-radius: 0.13em; }}
QSlider::handle:horizontal {{ background: {c['accent']}; width: 0.85em; margin: -0.26em 0;
    border-radius: 0.42em; }}
QProgressBar {{ border: none; background: {c['border']}; border-radius: 4px; max-height: 8px; }}
QProgressBar::chunk {{ background: {c['accent']}; border-radius: 4px; }}
"""


def _for_theme(rules: str, theme: str) -> str:
    """`rules` matching only widgets of `theme`: the attribute goes on the last part of each
    selector, before its states and sub-controls (`QPushButton[vq_theme="dark"]:hover`)."""
    attribute = f'[{THEME_PROPERTY}="{theme}"]'

    def one(selector: str) -> str:
        head, _, last = selector.strip().rpartition(" ")
        name, colon, rest = last.partition(":")
        return f"{head} {name}{attribute}{colon}{rest}".strip()

    def rule(match: re.Match) -> str:
        return ", ".join(one(s) for s in match.group(1).split(",")) + " {"

    return re.sub(r"^([^{}\n][^{}]*?)\s*\{", rule, rules, flags=re.MULTILINE)


def stylesheet() -> str:
    """The application's one stylesheet: both themes' rules, each for its own theme's widgets."""
    return "".join(_for_theme(_rules(COLORS[theme]), theme) for theme in THEMES)


def role_font(role: str) -> QFont:
    """The font of a heading role: only its size and weight, so the family still comes from
    the widget's parent; the size is a multiple of the application font's."""
    factor, bold = ROLE_FONTS[role]
    font = QFont()
    font.setPointSizeF(round(QApplication.font().pointSizeF() * factor, 1))
    if bold:
        font.setBold(True)
    return font


def dress(widget: QWidget) -> None:
    """Give a widget the current theme (for the stylesheet to match), and its role's font and
    text colour. A role's colour is the widget's own palette, or a palette role as foreground
    (muted text is the palette's placeholder colour), so no stylesheet rule holds it and a new
    theme needs no re-polish for it."""
    theme = current_theme()
    if widget.property(THEME_PROPERTY) != theme:
        widget.setProperty(THEME_PROPERTY, theme)
    role = widget.property("role") if isinstance(widget, QLabel) else None
    if role in ROLE_FONTS:
        widget.setFont(role_font(role))
        widget.setProperty(_FONT_ROLE, role)
    elif widget.property(_FONT_ROLE):           # it had a role's font, and no longer a role
        widget.setProperty(_FONT_ROLE, None)
        widget.setFont(QFont())
    if role in ROLE_COLOURS or role in ROLE_FOREGROUND:
        _colour_text(widget, role)
    elif widget.property(_COLOUR_ROLE):
        widget.setProperty(_COLOUR_ROLE, None)
        widget.setPalette(QPalette())
        widget.setForegroundRole(QPalette.ColorRole.NoRole)


def _colour_text(widget: QWidget, role: str) -> None:
    widget.setProperty(_COLOUR_ROLE, role)
    if role in ROLE_FOREGROUND:
        widget.setForegroundRole(ROLE_FOREGROUND[role])
        return
    pal = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive,
                  QPalette.ColorGroup.Disabled):
        pal.setColor(group, QPalette.ColorRole.WindowText, colour(ROLE_COLOURS[role]))
    widget.setPalette(pal)


class AppStyle(QProxyStyle):
    """Fusion, and every widget dressed (`dress`) as Qt polishes it: before the stylesheet
    looks at it, whenever it is shown first or re-polished."""

    def polish(self, target):  # noqa: D102 - QStyle.polish for widgets, palettes and the app
        if isinstance(target, QWidget):
            dress(target)
        return super().polish(target)


def restyle(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def install(app: QApplication) -> None:
    """Once: the style, the stylesheet, and fonts and colours handed down from parent to child
    as without a stylesheet (so a new font or palette on the application reaches every widget
    without re-polishing it)."""
    if app.property("vq_style"):
        return
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_UseStyleSheetPropagationInWidgetStyles)
    _current["style"] = AppStyle(QStyleFactory.create("Fusion"))   # kept: its polish is Python
    app.setStyle(_current["style"])
    app.setProperty("vq_style", True)
    app.setStyleSheet(stylesheet())


def apply_theme(app: QApplication, theme: str) -> None:
    """The theme's palette for every widget; those the stylesheet colours are re-polished."""
    first = not app.property("vq_style")
    changed = _current["theme"] != theme
    _current["theme"] = theme            # first: views repaint on PaletteChange with colour()
    install(app)
    if not (changed or first):
        return
    app.setPalette(palette(theme))
    # The windows learn of it from posted events: let it reach every widget now.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
    for widget in QApplication.allWidgets():     # re-polished, each is dressed in the theme
        if _themed(widget):
            restyle(widget)
        elif widget.property(_COLOUR_ROLE) in ROLE_COLOURS:
            _colour_text(widget, widget.property(_COLOUR_ROLE))


def _themed(widget: QWidget) -> bool:
    """Whether the stylesheet colours the widget or one of its parts. Scroll areas are styled
    (no frame) but not coloured; the sidebar, a list, is."""
    if isinstance(widget, SUB_CONTROLLED + (QListWidget,)):
        return True
    return (widget.testAttribute(Qt.WidgetAttribute.WA_StyleSheetTarget)
            and not isinstance(widget, QAbstractScrollArea))


def apply_text_size(app: QApplication, family: str | None, scale: float) -> None:
    """The application font at `scale` (Qt hands it down to every widget), then the widgets
    whose size is not the body text's: headings, and parts sized in em."""
    before = QFont(app.font())
    if apply_font(app, family, scale) == before:
        return
    # The windows learn of the new font from posted events: let it reach every widget now.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange)
    for widget in QApplication.allWidgets():
        if widget.property(_FONT_ROLE) or isinstance(widget, SUB_CONTROLLED):
            restyle(widget)
        elif isinstance(widget, QLabel) and not widget.text():
            # A label never given text ignores a new font: it would keep the old size's height.
            QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.StyleChange))


def current_theme() -> str:
    return _current["theme"]


def colour(name: str, theme: str | None = None) -> QColor:
    return QColor(COLORS[theme or current_theme()][name])


def set_role(widget, name: str, value: str | None) -> None:
    """Set a styling property (role, verdict, state) and let the stylesheet see the change."""
    widget.setProperty(name, value)
    restyle(widget)
