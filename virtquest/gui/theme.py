"""Light and dark themes: a QPalette on the Fusion style and a small stylesheet, scaled with the font."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from virtquest.gui.fonts import point_size

THEMES = ("light", "dark")

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


def stylesheet(theme: str, scale: float) -> str:
    """The few rules a palette cannot say: headings, cards, the sidebar, verdict colours."""
    c = COLORS[theme]
    title, heading, big = point_size(scale, 1.6), point_size(scale, 1.25), point_size(scale, 1.1)
    indicator = round(point_size(scale) * 1.3)  # check boxes grow with the text
    return f"""
QLabel[role="title"] {{ font-size: {title}pt; font-weight: bold; }}
QLabel[role="heading"] {{ font-size: {heading}pt; font-weight: bold; }}
QLabel[role="big"] {{ font-size: {big}pt; }}
QLabel[role="muted"] {{ color: {c['muted']}; }}
QLabel[role="stars"] {{ color: {c['star']}; font-size: {big}pt; }}
QLabel[verdict="right"] {{ color: {c['right']}; font-weight: bold; }}
QLabel[verdict="wrong"] {{ color: {c['wrong']}; font-weight: bold; }}
QRadioButton[verdict="right"]:disabled {{ color: {c['right']}; font-weight: bold; }}
QRadioButton[verdict="wrong"]:disabled {{ color: {c['wrong']}; font-weight: bold; }}
QRadioButton::indicator, QCheckBox::indicator {{ width: {indicator}px; height: {indicator}px; }}
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
QScrollArea {{ border: none; background: transparent; }}
QTreeWidget::item {{ padding: 3px 2px; }}
QSlider::groove:horizontal {{ height: {indicator // 3}px; background: {c['border']};
    border-radius: {indicator // 6}px; }}
QSlider::sub-page:horizontal {{ background: {c['accent']}; border-radius: {indicator // 6}px; }}
QSlider::handle:horizontal {{ background: {c['accent']}; width: {indicator}px;
    margin: -{indicator // 3}px 0; border-radius: {indicator // 2}px; }}
QProgressBar {{ border: none; background: {c['border']}; border-radius: 4px; max-height: 8px; }}
QProgressBar::chunk {{ background: {c['accent']}; border-radius: 4px; }}
QScrollArea > QWidget > QWidget#page {{ background: transparent; }}
"""


def apply_theme(app: QApplication, theme: str, scale: float) -> None:
    """Fusion style, the theme's palette and stylesheet (heading sizes follow the font scale)."""
    if not app.property("vq_fusion"):   # once: with a stylesheet set, style() is a wrapper
        app.setStyle("Fusion")           # whose name is not "fusion", and setStyle costs
        app.setProperty("vq_fusion", True)   # a restyle of every widget
    app.setProperty("vq_theme", theme)   # first: views repaint on PaletteChange with colour()
    app.setPalette(palette(theme))
    app.setStyleSheet(stylesheet(theme, scale))


def current_theme() -> str:
    app = QApplication.instance()
    value = app.property("vq_theme") if app is not None else None
    return value if value in THEMES else "light"


def colour(name: str, theme: str | None = None) -> QColor:
    return QColor(COLORS[theme or current_theme()][name])


def set_role(widget, name: str, value: str | None) -> None:
    """Set a styling property (role, verdict, state) and let the stylesheet see the change."""
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
