"""A VQ32 code view: colours by instruction class, line numbers, slot, execution and error marks."""

from __future__ import annotations

import functools
import re

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from virtquest.emu.isa import BY_MNEMONIC
from virtquest.game.sandbox_syntax import LABEL, WORD, Statement, parse_statement, split_comment
from virtquest.gui.fonts import monospace_family

# Instruction-class colours: (light palette, dark palette). Shape helps too: privileged is bold,
# sensitive bold and underlined, so the classes differ without colour.
CLASS_COLOURS = {
    "innocuous": ("#1f5fbf", "#79b8ff"),
    "privileged": ("#c62828", "#ff7b72"),
    "sensitive": ("#8e24aa", "#d2a8ff"),
    "virtualization": ("#00796b", "#56d4c0"),
}
_TOKEN_COLOURS = {
    "directive": ("#8a6100", "#e3b341"),
    "number": ("#a0522d", "#ffa657"),
    "error": ("#c62828", "#ff7b72"),
}
_NUMBER = re.compile(r"(?<![\w$])(0x[0-9A-Fa-f]+|\d+)\b|'(?:\\.|[^'])'|\"(?:\\.|[^\"])*\"")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def class_colour(iclass: str, palette: QPalette) -> QColor:
    light, dark = CLASS_COLOURS[iclass]
    return QColor(dark if is_dark(palette) else light)


def token_colour(kind: str, palette: QPalette) -> QColor:
    light, dark = _TOKEN_COLOURS[kind]
    return QColor(dark if is_dark(palette) else light)


def code_font(_base: QFont | None = None) -> QFont:
    """The monospace family and nothing else: a widget given this font keeps inheriting the
    size of the surrounding text, so code grows and shrinks with the text-size setting."""
    font = QFont()
    font.setFamilies([monospace_family()])
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


# --- highlighting --------------------------------------------------------------------------


class AsmHighlighter(QSyntaxHighlighter):
    """Colours mnemonics by their class in the instruction table; labels, directives, numbers and
    comments in their own styles. Re-coloured when the palette turns dark or light: each line is
    parsed once (`_spans`), so a new theme only paints the same spans in new colours."""

    def __init__(self, document, palette: QPalette):
        super().__init__(document)
        self.colours: tuple | None = None
        self.set_palette(palette)

    def set_palette(self, palette: QPalette) -> None:
        colours = (is_dark(palette), palette.color(QPalette.ColorRole.PlaceholderText).rgba())
        if colours == self.colours:
            return
        self.colours = colours
        self.formats = {name: _class_format(class_colour(name, palette), name)
                        for name in CLASS_COLOURS}
        self.formats["comment"] = QTextCharFormat()
        self.formats["comment"].setForeground(palette.color(QPalette.ColorRole.PlaceholderText))
        self.formats["comment"].setFontItalic(True)
        self.formats["label"] = QTextCharFormat()
        self.formats["label"].setFontWeight(QFont.Weight.Bold)
        for kind in ("directive", "number"):
            self.formats[kind] = QTextCharFormat()
            self.formats[kind].setForeground(token_colour(kind, palette))
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        for start, length, kind in _spans(text):
            self.setFormat(start, length, self.formats[kind])


@functools.lru_cache(maxsize=4096)
def _spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """Where one line of source has a comment, numbers, a label, a directive and a mnemonic:
    (start, length, kind), kind a key of `AsmHighlighter.formats`, later spans over earlier."""
    spans = []
    code, comment_at = split_comment(text)
    if comment_at < len(text):
        spans.append((comment_at, len(text) - comment_at, "comment"))
    for match in _NUMBER.finditer(code):
        spans.append((match.start(), match.end() - match.start(), "number"))
    label = LABEL.match(code)
    if label:
        spans.append((label.start(1), label.end(1) - label.start(1) + 1, "label"))
    start = label.end() if label else 0
    word = WORD.search(code, start)
    if word and word.group(0).startswith(".") and not code[start:word.start()].strip():
        spans.append((word.start(), len(word.group(0)), "directive"))
    statement = parse_statement(text)
    if statement is not None and statement.iclass is not None:
        spans.append((statement.start, len(statement.mnemonic), statement.iclass))
    return tuple(spans)


def _class_format(colour: QColor, iclass: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(colour)
    if iclass in ("privileged", "sensitive"):
        fmt.setFontWeight(QFont.Weight.Bold)
    if iclass == "sensitive":
        fmt.setFontUnderline(True)
    if iclass == "virtualization":
        fmt.setFontItalic(True)
    return fmt


# --- the editor ----------------------------------------------------------------------------


class _Gutter(QWidget):
    """The line-number area: numbers, slot badges, the execution arrow and error marks."""

    def __init__(self, editor: CodeEditor):
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event) -> None:  # noqa: N802
        self.editor.paint_gutter(self, event)


class CodeEditor(QPlainTextEdit):
    """A VQ32 source view. Read-only for the lab and the mini-OS; editable in the sandbox."""

    def __init__(self, text: str = "", *, language: str = "en", read_only: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.language = language
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(code_font())
        self._numbers: list[int] | None = None
        self._slots: dict[int, str] = {}
        self._focus_line: int | None = None
        self._exec_line: int | None = None
        self._flash_line: int | None = None
        self._error: tuple[int, int, str] | None = None
        self._gutter = _Gutter(self)
        self.highlighter = AsmHighlighter(self.document(), self.palette())
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._scroll_gutter)
        self.setPlainText(text)
        self.set_read_only(read_only)
        self._update_margins()

    # -- content ---------------------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        self.setReadOnly(read_only)
        if read_only:
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                         | Qt.TextInteractionFlag.TextSelectableByKeyboard)

    def set_text(self, text: str, line_numbers: list[int] | None = None) -> None:
        """Replace the text; `line_numbers` shows other numbers than 1, 2, 3 (0 = none)."""
        self._numbers = line_numbers
        self._slots, self._focus_line, self._exec_line, self._flash_line = {}, None, None, None
        self._error = None
        self.setPlainText(text)
        self._update_margins()
        self._refresh_selections()

    def shown_number(self, row: int) -> int:
        """The number shown beside 1-based row `row`."""
        if self._numbers is None:
            return row
        return self._numbers[row - 1] if 0 < row <= len(self._numbers) else 0

    def row_for(self, number: int) -> int | None:
        """The 1-based row showing line number `number`."""
        if self._numbers is None:
            return number if 0 < number <= self.blockCount() else None
        return self._numbers.index(number) + 1 if number in self._numbers else None

    # -- markers ---------------------------------------------------------------------------
    def set_slot_lines(self, slots: dict[int, str]) -> None:
        """Rows that hold a slot, each with its short badge ("1", "2", …)."""
        self._slots = dict(slots)
        self._refresh_selections()

    def set_focus_line(self, row: int | None) -> None:
        """The row of the slot in focus (a stronger band)."""
        self._focus_line = row
        if row:
            self._scroll_to(row)
        self._refresh_selections()

    def set_execution_line(self, row: int | None) -> None:
        """The row about to execute (the debugger's arrow)."""
        self._exec_line = row
        if row:
            self._scroll_to(row)
        self._refresh_selections()

    def select_line(self, row: int) -> None:
        """Put the cursor on a row, scroll to it and mark it (a timeline click)."""
        self._flash_line = row
        block = self.document().findBlockByNumber(row - 1)
        if block.isValid():
            cursor = QTextCursor(block)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
            self.centerCursor()
        self._refresh_selections()

    @property
    def selected_row(self) -> int | None:
        return self._flash_line

    def set_error(self, row: int, column: int, message: str) -> None:
        """Mark an error at a row and (1-based) column; hovering shows the message."""
        self._error = (row, max(1, column), message)
        self._scroll_to(row)
        self._refresh_selections()

    def clear_error(self) -> None:
        self._error = None
        self._refresh_selections()

    @property
    def error(self) -> tuple[int, int, str] | None:
        return self._error

    def _scroll_to(self, row: int) -> None:
        block = self.document().findBlockByNumber(row - 1)
        if block.isValid():
            cursor = QTextCursor(block)
            self.setTextCursor(cursor)
            self.centerCursor()
            self.horizontalScrollBar().setValue(0)

    def _refresh_selections(self) -> None:
        pal = self.palette()
        highlight = pal.color(QPalette.ColorRole.Highlight)
        selections = [self._line_selection(r, _alpha(highlight, 28)) for r in self._slots]
        if self._focus_line:
            selections.append(self._line_selection(self._focus_line, _alpha(highlight, 80)))
        if self._exec_line:
            selections.append(self._line_selection(
                self._exec_line, _alpha(token_colour("directive", pal), 90)))
        if self._flash_line:
            selections.append(self._line_selection(self._flash_line, _alpha(highlight, 110)))
        if self._error:
            selections.extend(self._error_selections(*self._error))
        self.setExtraSelections(selections)
        self._gutter.update()

    def _line_selection(self, row: int, colour: QColor) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(colour)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        cursor = QTextCursor(self.document().findBlockByNumber(row - 1))
        selection.cursor = cursor
        return selection

    def _error_selections(self, row: int, column: int, _message: str) -> list:
        colour = token_colour("error", self.palette())
        band = self._line_selection(row, _alpha(colour, 40))
        block = self.document().findBlockByNumber(row - 1)
        if not block.isValid():
            return [band]
        text = block.text()
        start = min(column - 1, max(0, len(text) - 1))
        end = _token_end(text, start)
        mark = QTextEdit.ExtraSelection()
        mark.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        mark.format.setUnderlineColor(colour)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.Right, n=start)
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor,
                            max(1, end - start))
        mark.cursor = cursor
        return [band, mark]

    # -- the gutter ------------------------------------------------------------------------
    def gutter_width(self) -> int:
        biggest = max(self._numbers or [self.blockCount(), 1])
        digits = max(3, len(str(biggest)))
        metrics = self.fontMetrics()
        return metrics.horizontalAdvance("9") * (digits + 3) + 6

    def _update_margins(self, *_args) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(),
                                       area.height()))
        self._keep_marked_line_in_view()

    def showEvent(self, event) -> None:  # noqa: N802
        self._recolour()
        super().showEvent(event)
        self._keep_marked_line_in_view()

    def _recolour(self) -> None:
        """The highlighting and the marked lines in the palette's colours (nothing to do when
        they are already)."""
        self.highlighter.set_palette(self.palette())
        self._refresh_selections()

    def _keep_marked_line_in_view(self) -> None:
        """A line marked while the editor was hidden or tiny is scrolled to once it is shown."""
        row = self._exec_line or self._flash_line or self._focus_line
        if row and self.isVisible() and self.isReadOnly():
            self._scroll_to(row)

    def paint_gutter(self, gutter: QWidget, event) -> None:
        painter = QPainter(gutter)
        pal = self.palette()
        painter.fillRect(event.rect(), pal.color(QPalette.ColorRole.AlternateBase))
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = gutter.width()
        while block.isValid() and top <= event.rect().bottom():
            row = block.blockNumber() + 1
            if block.isVisible():
                self._paint_row_marks(painter, row, top, width, height)
            top += round(self.blockBoundingRect(block).height())
            block = block.next()
        painter.end()

    def _paint_row_marks(self, painter: QPainter, row: int, top: int, width: int,
                         height: int) -> None:
        pal = self.palette()
        number = self.shown_number(row)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(pal.color(QPalette.ColorRole.Text) if row == self._exec_line else muted)
        painter.setFont(self.font())
        if number:
            painter.drawText(0, top, width - 4, height, Qt.AlignmentFlag.AlignRight, str(number))
        badge = QRect(2, top + 1, height - 2, height - 2)
        if self._error and self._error[0] == row:
            _draw_badge(painter, badge, token_colour("error", pal), "!", pal)
        elif row in self._slots:
            _draw_badge(painter, badge, pal.color(QPalette.ColorRole.Highlight),
                        self._slots[row], pal)
        if row == self._exec_line:
            painter.setPen(token_colour("directive", pal))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "▶")

    # -- help on hover ---------------------------------------------------------------------
    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            viewport_pos = self.viewport().mapFromGlobal(event.globalPos())
            text = self.tooltip_at(viewport_pos)
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        if event.type() == QEvent.Type.PaletteChange and self.isVisible():
            self._recolour()               # a hidden editor is recoloured when next shown
        handled = super().event(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_gutter"):
            self._update_margins()                      # the text size changed: so does the gutter
            area = self.contentsRect()
            self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(),
                                           area.height()))
        return handled

    def tooltip_at(self, pos) -> str:
        cursor = self.cursorForPosition(pos)
        row = cursor.blockNumber() + 1
        if self._error and self._error[0] == row:
            return self._error[2]
        statement = parse_statement(cursor.block().text())
        if statement is None or statement.iclass is None:
            return ""
        column = cursor.positionInBlock()
        if not statement.start <= column <= statement.start + len(statement.mnemonic):
            return ""
        return self.instruction_help(statement)

    def instruction_help(self, statement: Statement) -> str:
        rows = [statement.row] if statement.row else BY_MNEMONIC[statement.mnemonic]
        names = {"innocuous": self.tr("innocuous"), "privileged": self.tr("privileged"),
                 "sensitive": self.tr("sensitive but unprivileged (an x86 hole)"),
                 "virtualization": self.tr("virtualization")}
        lines = []
        for row in rows:
            summary = row.summary_ko if self.language == "ko" else row.summary_en
            lines.append(f"<b>{row.syntax}</b> — {names[row.iclass.value]}<br>{summary}")
        return "<br>".join(lines)


def _token_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and not text[end].isspace() and text[end] not in ",;":
        end += 1
    return max(end, start + 1)


def _alpha(colour: QColor, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


def _draw_badge(painter: QPainter, rect: QRect, colour: QColor, text: str,
                pal: QPalette) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(rect)
    painter.setPen(pal.color(QPalette.ColorRole.HighlightedText))
    font = QFont(painter.font())
    font.setBold(True)
    font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class InstructionLegend(QWidget):
    """What the colours mean: privileged, sensitive, innocuous, virtualization."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        self._render()

    def _render(self) -> None:
        pal = self.palette()
        names = (("privileged", self.tr("privileged"), "b"),
                 ("sensitive", self.tr("sensitive (x86 hole)"), "u"),
                 ("innocuous", self.tr("innocuous"), ""),
                 ("virtualization", self.tr("virtualization"), "i"))
        parts = []
        for key, name, tag in names:
            colour = class_colour(key, pal).name()
            text = f"<{tag}>{name}</{tag}>" if tag else name
            if key == "sensitive":
                text = f"<b>{text}</b>"
            parts.append(f"<span style='color:{colour}'>■ {text}</span>")
        self.label.setText("&nbsp;&nbsp; ".join(parts))

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.LanguageChange):
            self._render()
        super().changeEvent(event)
