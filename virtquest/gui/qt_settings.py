"""Settings: language, theme, font size, the learner profile (switch or create), and moving progress
to and from a JSON file — with every error said in one clear line, never a crash.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from virtquest.emu.errors import VirtQuestError
from virtquest.gui.fonts import INSTALL_COMMAND, clamp_scale
from virtquest.gui.i18n import fill, system_language, translate
from virtquest.gui.models import LearnerSession
from virtquest.gui.theme import set_role
from virtquest.gui.widgets import scrolling, wrapped

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


def choose_export_path(parent: QWidget, suggested: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(
        parent, translate("QtSettings", "Export progress"), suggested, translate("QtSettings", "Progress files (*.json)"))
    return path or None


def choose_import_path(parent: QWidget) -> str | None:
    path, _ = QFileDialog.getOpenFileName(
        parent, translate("QtSettings", "Import progress"), str(Path.home()),
        translate("QtSettings", "Progress files (*.json);;All files (*)"))
    return path or None


def ask_conflict(parent: QWidget, name: str) -> str | None:
    """A profile of that name exists: "replace", "copy" (import under a new name) or None."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(translate("QtSettings", "Import progress"))
    box.setText(fill(translate("QtSettings", "A profile named “%1” already exists."), name))
    replace = box.addButton(translate("QtSettings", "Replace it"), QMessageBox.ButtonRole.DestructiveRole)
    copy = box.addButton(translate("QtSettings", "Import as a new profile"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return {replace: "replace", copy: "copy"}.get(box.clickedButton())


class QtSettings(QWidget):
    """Every control writes through the session, which tells the app to apply it at once."""

    def __init__(self, session: LearnerSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        page = QWidget()
        body = QVBoxLayout(page)
        body.setContentsMargins(28, 20, 28, 20)
        body.setSpacing(14)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        body.addWidget(self.title)
        body.addWidget(self._language_box())
        body.addWidget(self._appearance_box())
        body.addWidget(self._profile_box())
        body.addWidget(self._transfer_box())
        self.status = wrapped()
        body.addWidget(self.status)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(page, columns=100))
        session.profile_changed.connect(self._load)
        session.settings_changed.connect(lambda _key: self._load())
        self.retranslate()
        self._load()

    # --- building ------------------------------------------------------------------------
    def _language_box(self) -> QGroupBox:
        self.language_box = QGroupBox()
        form = QFormLayout(self.language_box)
        self.language = QComboBox()
        for key in ("system", "ko", "en"):
            self.language.addItem("", key)
        self.language.activated.connect(self._language_chosen)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.font_warning = wrapped()
        self.font_warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.language_label, self.language)
        form.addRow(self.font_warning)
        self.font_warning.setVisible(self.session.hangul_font is None)
        if self.session.hangul_font is None:
            self.language.model().item(1).setEnabled(False)
        return self.language_box

    def _appearance_box(self) -> QGroupBox:
        self.appearance_box = QGroupBox()
        form = QFormLayout(self.appearance_box)
        self.theme = QComboBox()
        for key in ("system", "light", "dark"):
            self.theme.addItem("", key)
        self.theme.activated.connect(
            lambda _i: self.session.set_setting("theme", self.theme.currentData()))
        self.scale = QSlider(Qt.Orientation.Horizontal)
        self.scale.setRange(100, 200)
        self.scale.setSingleStep(10)
        self.scale.setPageStep(25)
        self.scale.setTickInterval(25)
        self.scale.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.scale_value = QLabel()
        self.scale.valueChanged.connect(self._scale_moved)
        self.scale.sliderReleased.connect(self._scale_chosen)
        row = QHBoxLayout()
        row.addWidget(self.scale, 1)
        row.addWidget(self.scale_value)
        self.theme_label, self.scale_label = QLabel(), QLabel()
        self.theme_label.setBuddy(self.theme)
        self.scale_label.setBuddy(self.scale)
        form.addRow(self.theme_label, self.theme)
        form.addRow(self.scale_label, row)
        self.tour_button = QPushButton()
        self.tour_button.clicked.connect(self.replay_tour)
        form.addRow(self.tour_button)
        return self.appearance_box

    def replay_tour(self) -> None:
        """Show the lab's first-run guide again, the next time a level opens."""
        self.session.store.set_setting(self.session.profile_id, "lab_tour", "new")
        self.say(self.tr("The lab tour starts again when you next open a level."))

    def _profile_box(self) -> QGroupBox:
        self.profile_box = QGroupBox()
        form = QFormLayout(self.profile_box)
        self.profile = QComboBox()
        self.profile.activated.connect(self._profile_chosen)
        self.new_name = QLineEdit()
        self.new_name.returnPressed.connect(self.create_profile)
        self.create_button = QPushButton()
        self.create_button.clicked.connect(self.create_profile)
        row = QHBoxLayout()
        row.addWidget(self.new_name, 1)
        row.addWidget(self.create_button)
        self.profile_label, self.new_label = QLabel(), QLabel()
        self.profile_label.setBuddy(self.profile)
        self.new_label.setBuddy(self.new_name)
        self.profile_note = wrapped(role="muted")
        form.addRow(self.profile_label, self.profile)
        form.addRow(self.new_label, row)
        form.addRow(self.profile_note)
        return self.profile_box

    def _transfer_box(self) -> QGroupBox:
        self.transfer_box = QGroupBox()
        layout = QVBoxLayout(self.transfer_box)
        self.transfer_note = wrapped(role="muted")
        self.export_button, self.import_button = QPushButton(), QPushButton()
        self.export_button.clicked.connect(self.export_progress)
        self.import_button.clicked.connect(self.import_progress)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addWidget(self.transfer_note)
        layout.addLayout(row)
        return self.transfer_box

    # --- showing the stored values -------------------------------------------------------
    def _load(self) -> None:
        self._select(self.language, self.session.setting("language"))
        self._select(self.theme, self.session.setting("theme"))
        percent = round(clamp_scale(float(self.session.setting("font_scale"))) * 100)
        self.scale.blockSignals(True)
        self.scale.setValue(percent)
        self.scale.blockSignals(False)
        self.scale_value.setText(f"{percent}%")
        self._fill_profiles()

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def _fill_profiles(self) -> None:
        self.profile.clear()
        for profile in self.session.profiles():
            self.profile.addItem(profile.name, profile.id)
        self._select(self.profile, self.session.profile_id)

    # --- acting --------------------------------------------------------------------------
    def _language_chosen(self, _index: int) -> None:
        self.session.set_setting("language", self.language.currentData())

    def _scale_moved(self, value: int) -> None:
        self.scale_value.setText(f"{value}%")
        if not self.scale.isSliderDown():  # keys and clicks apply at once; a drag on release
            self._scale_chosen()

    def _scale_chosen(self) -> None:
        self.session.set_setting("font_scale", self.scale.value() / 100)

    def _profile_chosen(self, _index: int) -> None:
        profile_id = self.profile.currentData()
        if profile_id is not None:
            self.session.switch_profile(int(profile_id))
            self.say(fill(self.tr("Now learning as “%1”."), self.profile.currentText()))

    def create_profile(self) -> None:
        name = self.new_name.text().strip()
        if not name:
            self.say(self.tr("Type a name for the new profile first."), error=True)
            return
        try:
            self.session.create_profile(name)
        except VirtQuestError as exc:
            self.say(fill(self.tr("Could not create the profile: %1"), exc), error=True)
            return
        self.new_name.clear()
        self.say(fill(self.tr("Created the profile “%1” and switched to it."), name))

    def export_progress(self) -> None:
        name = self.session.store.profile(self.session.profile_id).name
        path = choose_export_path(self, str(Path.home() / f"virtquest-{name}.json"))
        if not path:
            return
        try:
            counts = self.session.export_progress(path)
        except VirtQuestError as exc:
            self.say(fill(self.tr("Export failed: %1"), exc), error=True)
            return
        self.say(fill(self.tr("Saved “%1” to %2 (%3 answers, %4 lab attempts)."), name, path,
                      counts["quiz_answers"], counts["attempts"]))

    def import_progress(self) -> None:
        path = choose_import_path(self)
        if not path:
            return
        try:
            self._import(path)
        except VirtQuestError as exc:
            self.say(fill(self.tr("Import failed: %1"), exc), error=True)

    def _import(self, path: str) -> None:
        from virtquest.progress.export import read_export

        document = read_export(path)  # checked completely before anything is written
        name = document.profile.name
        replace, new_name = False, None
        if self.session.store.profile_id_by_name(name) is not None:
            answer = ask_conflict(self, name)
            if answer is None:
                return
            replace = answer == "replace"
            new_name = None if replace else self._free_name(name)
        result = self.session.import_progress(path, replace=replace, name=new_name)
        self.say(fill(self.tr("Imported the profile “%1” (%2 answers, %3 lab attempts)."),
                      result.name, result.counts["quiz_answers"], result.counts["attempts"]))

    def _free_name(self, name: str) -> str:
        number = 2
        while self.session.store.profile_id_by_name(f"{name} ({number})") is not None:
            number += 1
        return f"{name} ({number})"

    def say(self, message: str, error: bool = False) -> None:
        self.status.setText(message)
        set_role(self.status, "verdict", "wrong" if error else None)

    # --- text ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Settings"))
        self.language_box.setTitle(self.tr("Language"))
        self.language_label.setText(self.tr("&Language:"))
        system = LANGUAGE_NAMES[system_language()]
        self.language.setItemText(0, fill(self.tr("Same as the computer (%1)"), system))
        self.language.setItemText(1, LANGUAGE_NAMES["ko"])
        self.language.setItemText(2, LANGUAGE_NAMES["en"])
        self.font_warning.setText(fill(self.tr(
            "No font on this computer can show Korean, so VirtQuest stays in English. Install "
            "one and restart VirtQuest:\n%1"), INSTALL_COMMAND))
        self.appearance_box.setTitle(self.tr("Appearance"))
        self.theme_label.setText(self.tr("&Theme:"))
        for index, text in enumerate((self.tr("Same as the computer"), self.tr("Light"),
                                      self.tr("Dark"))):
            self.theme.setItemText(index, text)
        self.scale_label.setText(self.tr("Text &size:"))
        self.tour_button.setText(self.tr("Replay the lab tour"))
        self.profile_box.setTitle(self.tr("Learner profile"))
        self.profile_label.setText(self.tr("&Profile:"))
        self.new_label.setText(self.tr("&New profile:"))
        self.new_name.setPlaceholderText(self.tr("e.g. your name or student number"))
        self.create_button.setText(self.tr("Create"))
        self.profile_note.setText(self.tr(
            "Each profile keeps its own stars, answers, review schedule and settings — "
            "several students can share one computer."))
        self.transfer_box.setTitle(self.tr("Move progress"))
        self.transfer_note.setText(self.tr(
            "Save the current profile as a JSON file to take it to another computer or hand it "
            "to your instructor; import such a file to add its profile here."))
        self.export_button.setText(self.tr("&Export..."))
        self.import_button.setText(self.tr("&Import..."))

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
