"""The code view colours instructions by their class and marks errors at a line and column."""

from __future__ import annotations

from PySide6.QtGui import QPalette, QTextCharFormat

from virtquest.game.sandbox_syntax import parse_statement
from virtquest.gui.qt_editor import CodeEditor, InstructionLegend, class_colour

SOURCE = """\
; a comment
kernel_main:
    mov eax, cr0        ; privileged form of mov
    mov ebx, cs         ; sensitive form
    popf
    add eax, 1
    cpuid
    ret
"""


def test_statements_get_the_class_of_their_table_row():
    classes = {line.strip().split()[0] + str(i): parse_statement(line).iclass
               for i, line in enumerate(SOURCE.splitlines()) if parse_statement(line)}
    assert classes == {"mov2": "privileged", "mov3": "sensitive", "popf4": "sensitive",
                       "add5": "innocuous", "cpuid6": "virtualization", "ret7": "innocuous"}
    assert parse_statement("loop: .word 5") is None
    assert parse_statement("  ; only a comment") is None


def _mnemonic_colour(editor: CodeEditor, row: int) -> str:
    block = editor.document().findBlockByNumber(row - 1)
    start = parse_statement(block.text()).start
    ranges = block.layout().formats()
    for fmt_range in ranges:
        if fmt_range.start == start:
            return QTextCharFormat(fmt_range.format).foreground().color().name()
    raise AssertionError(f"no format at row {row}")


def test_highlighter_colours_privileged_sensitive_and_innocuous_differently(qtbot):
    editor = CodeEditor(SOURCE)
    qtbot.addWidget(editor)
    colours = {row: _mnemonic_colour(editor, row) for row in (3, 4, 6)}
    pal = editor.palette()
    assert colours == {3: class_colour("privileged", pal).name(),
                       4: class_colour("sensitive", pal).name(),
                       6: class_colour("innocuous", pal).name()}
    assert len(set(colours.values())) == 3


def test_dark_palette_uses_the_dark_variants(qtbot):
    editor = CodeEditor(SOURCE)
    qtbot.addWidget(editor)
    editor.show()
    dark = QPalette(editor.palette())
    dark.setColor(QPalette.ColorRole.Base, dark.color(QPalette.ColorRole.Base).darker(800))
    light_colour = _mnemonic_colour(editor, 3)
    editor.setPalette(dark)
    assert _mnemonic_colour(editor, 3) != light_colour
    editor.hide()                             # hidden, it is recoloured when shown again
    editor.setPalette(QPalette())             # back to the light palette it inherits
    editor.show()
    assert _mnemonic_colour(editor, 3) == light_colour


def test_error_marker_sits_at_its_line_and_column(qtbot):
    editor = CodeEditor(SOURCE)
    qtbot.addWidget(editor)
    editor.set_error(6, 9, "expected a register")
    assert editor.error == (6, 9, "expected a register")
    waves = [s for s in editor.extraSelections()
             if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline]
    assert len(waves) == 1
    cursor = waves[0].cursor
    assert cursor.blockNumber() == 5 and cursor.selectionStart() - cursor.block().position() == 8
    assert cursor.selectedText() == "eax"
    editor.clear_error()
    assert editor.error is None


def test_hover_help_comes_from_the_instruction_table(qtbot):
    editor = CodeEditor(SOURCE, language="ko", read_only=True)
    qtbot.addWidget(editor)
    editor.show()
    block = editor.document().findBlockByNumber(4)
    rect = editor.blockBoundingGeometry(block).translated(editor.contentOffset())
    point = rect.topLeft().toPoint()
    point.setX(point.x() + editor.fontMetrics().horizontalAdvance("    po"))
    point.setY(point.y() + 2)
    text = editor.tooltip_at(point)
    assert "popf" in text and "IF" in text and "CPL" in text


def test_line_numbers_can_follow_another_file(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.set_text("pv_x:\n    cli\n    ret", line_numbers=[640, 641, 642])
    assert editor.row_for(641) == 2 and editor.shown_number(3) == 642
    editor.set_slot_lines({2: "1"})
    editor.select_line(2)
    assert editor.selected_row == 2 and editor.textCursor().blockNumber() == 1


def test_legend_names_every_class(qtbot):
    legend = InstructionLegend()
    qtbot.addWidget(legend)
    for word in ("privileged", "sensitive", "innocuous", "virtualization"):
        assert word in legend.label.text()


def set_text_size(scale: float) -> None:
    """As the app applies the text-size setting (the theme installed first, as at start-up)."""
    from PySide6.QtWidgets import QApplication

    from virtquest.gui.theme import apply_text_size, apply_theme, current_theme

    app = QApplication.instance()
    apply_theme(app, current_theme())
    apply_text_size(app, None, scale)


def test_code_follows_the_text_size(qtbot):
    """The code font is the monospace family at the size of the app's text: it grows with the
    text-size setting, and so does the line-number gutter."""
    from virtquest.gui.fonts import monospace_family, point_size

    set_text_size(1.0)
    editor = CodeEditor(SOURCE)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.font().pointSizeF() == point_size(1.0))
    gutter = editor.gutter_width()
    try:
        set_text_size(2.0)
        qtbot.waitUntil(lambda: editor.font().pointSizeF() == point_size(2.0))
        assert editor.font().family() == monospace_family()
        assert editor.gutter_width() > gutter
        assert editor.viewportMargins().left() == editor.gutter_width()
    finally:
        set_text_size(1.0)
    qtbot.waitUntil(lambda: editor.font().pointSizeF() == point_size(1.0))
