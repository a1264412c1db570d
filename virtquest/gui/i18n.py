"""The UI language: Qt translators from assets/translations, the system default, content texts.

Every UI string goes through Qt's translation system; content (level titles, questions) carries
both languages and `pick` chooses the one the UI speaks.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from virtquest.emu.resources import ASSETS
from virtquest.game.hangul import resolve_particles

TRANSLATIONS = ASSETS / "translations"
LANGUAGES = ("ko", "en")
CATALOGUE = "virtquest"

_state: dict[str, object] = {"language": "en", "translators": []}


def system_language() -> str:
    """ko when the computer's locale is Korean, else en."""
    return "ko" if QLocale.system().language() == QLocale.Language.Korean else "en"


def resolve_language(setting: object, hangul_font: bool = True) -> str:
    """The language to show: the setting (system → the locale), English when no font has Hangul."""
    language = setting if setting in LANGUAGES else system_language()
    return "en" if language == "ko" and not hangul_font else str(language)


def current_language() -> str:
    """The language the UI speaks now; content follows it."""
    return str(_state["language"])


def install_language(language: str) -> bool:
    """Swap the app's translators: every widget gets LanguageChange (delivered before this
    returns) and retranslates itself. False if the language's catalogue is missing."""
    found = _swap(language)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return found


def _swap(language: str) -> bool:
    app = QCoreApplication.instance()
    for old in _state["translators"]:  # type: ignore[union-attr]
        app.removeTranslator(old)
    _state["translators"] = []
    _state["language"] = language
    if language == "en":
        return True  # the source strings are English; removing a translator retranslates
    found = _load(app, CATALOGUE, str(TRANSLATIONS), language)
    for extra in sorted(TRANSLATIONS.glob(f"{CATALOGUE}-*_{language}.qm")):  # more catalogues
        _load(app, extra.stem.removesuffix(f"_{language}"), str(TRANSLATIONS), language)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    _load(app, "qtbase", qt_dir, language)  # Qt's own dialogs (file chooser buttons)
    return found


def _load(app: QCoreApplication, name: str, directory: str, language: str) -> bool:
    translator = QTranslator(app)
    if not translator.load(f"{name}_{language}", directory):
        return False
    app.installTranslator(translator)
    _state["translators"].append(translator)  # type: ignore[union-attr]
    return True


def pick(text: object, language: str | None = None) -> str:
    """The text of a bilingual content value ({ko, en} mapping or object) in the UI language."""
    language = language or current_language()
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, Mapping):
        return str(text.get(language) or text.get("en") or "")
    return str(getattr(text, language, None) or getattr(text, "en", ""))


def translate(context: str, text: str) -> str:
    """For code outside a QObject: lupdate reads the context and text from the call."""
    return QCoreApplication.translate(context, text)


def fill(template: str, *values: object) -> str:
    """Qt's %1, %2 … placeholders filled in (a translation may reorder them), and the Korean
    particles written after them as 을(를), 이(가), (으)로 … chosen for the word that came in."""
    for number in range(len(values), 0, -1):
        template = template.replace(f"%{number}", str(values[number - 1]))
    return resolve_particles(template)
