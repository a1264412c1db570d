"""The Korean catalogue: every string of every module under virtquest/gui is translated, no
translatable string hides from lupdate, placeholders and accelerators survive translation, the
committed .qm is what lrelease makes of the .ts, and the lab's and sandbox's parts speak Korean
(including what the machine and the hypervisors report, which they word in English)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from virtquest.gui.i18n import TRANSLATIONS, install_language

GUI = Path(__file__).resolve().parents[2] / "virtquest" / "gui"
BIN = Path(sys.executable).parent
COMMITTED = TRANSLATIONS / "virtquest_ko.ts"
TR_CALLS = {"tr": 0, "translate": 1, "QT_TRANSLATE_NOOP": 1, "QT_TR_NOOP": 0}


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) → the <translation> element."""
    return {(context.findtext("name"), message.findtext("source")): message.find("translation")
            for context in ET.parse(ts).getroot() for message in context.iter("message")}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict[tuple[str, str], ET.Element]:
    """What lupdate finds in every module under virtquest/gui now."""
    out = tmp_path_factory.mktemp("lupdate") / "fresh.ts"
    subprocess.run([str(BIN / "pyside6-lupdate"), *map(str, sorted(GUI.glob("*.py"))),
                    "-ts", str(out)], check=True, capture_output=True)
    return messages(out)


def test_every_gui_string_has_a_finished_korean_translation(fresh):
    done = messages(COMMITTED)
    missing = [key for key in fresh if key not in done or done[key].get("type")
               or not (done[key].text or "").strip()]
    assert not missing, f"{len(missing)} strings without Korean: {missing}"


def test_the_catalogue_holds_nothing_stale(fresh):
    """No vanished or obsolete entry: the .ts is exactly what the code asks for."""
    stale = [key for key, translation in messages(COMMITTED).items()
             if key not in fresh or translation.get("type") in ("vanished", "obsolete")]
    assert not stale, stale


def test_no_translatable_string_is_hidden_from_lupdate(fresh):
    """lupdate skips tr() inside an f-string: every literal given to tr(), translate() or
    QT_TRANSLATE_NOOP in the gui modules must reach the catalogue."""
    extracted = {source for _context, source in fresh}
    hidden = []
    for path in sorted(GUI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            position = TR_CALLS.get(name)
            if position is None or len(node.args) <= position:
                continue
            text = node.args[position]
            if isinstance(text, ast.Constant) and isinstance(text.value, str) \
                    and text.value not in extracted:
                hidden.append(f"{path.name}:{node.lineno}: {text.value!r}")
    assert not hidden, hidden


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\d+|%n|\{\w+\}", text))


def _accelerators(text: str) -> list[str]:
    """The keys of the & accelerators (Qt matches them case-insensitively)."""
    return [key.lower() for key in re.findall(r"&(\w)", text.replace("&&", ""))]


def test_placeholders_and_accelerators_survive_translation():
    wrong = []
    for (context, source), translation in messages(COMMITTED).items():
        korean = translation.text or ""
        if _placeholders(source) != _placeholders(korean):
            wrong.append((context, source, korean, "placeholders"))
        if _accelerators(source) != _accelerators(korean):
            wrong.append((context, source, korean, "accelerator"))
    assert not wrong, wrong


def test_the_committed_qm_is_compiled_from_the_ts(tmp_path):
    compiled = tmp_path / "ko.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(COMMITTED), "-qm", str(compiled)],
                   check=True, capture_output=True)
    assert compiled.read_bytes() == (TRANSLATIONS / "virtquest_ko.qm").read_bytes()


def test_what_the_machine_reports_is_shown_in_korean(qapp):
    """Stop reasons, x86 holes and containment breaks come from the machine in English; each
    kind a run produces has a Korean wording (and English stays word for word)."""
    from virtquest.game.sandbox import EXAMPLES, run_everywhere
    from virtquest.gui.messages import machine_message

    report = run_everywhere((EXAMPLES / "kernel_main.s").read_text(encoding="utf-8"),
                            file="kernel_main.s")
    runaway = run_everywhere("main:\nforever:\n    jmp forever\n", budget=200_000)
    said = {run.result.message for run in report.runs + runaway.runs}
    said |= {str(d["how"]) for run in report.runs for d in run.divergences}
    said |= {"out 0x40, eax: the guest drove the real device on port 0x40 directly",
             "guest-physical 0x800000 is outside the guest's RAM"}
    assert len(said) >= 5
    assert all(machine_message(text) == text for text in said)
    install_language("ko")
    untranslated = [text for text in said if not re.search("[가-힣]", machine_message(text))]
    assert not untranslated, untranslated
    assert "0x11" in machine_message(next(t for t in said if t.startswith("mov r, cs")))


def test_the_lab_and_sandbox_parts_retranslate_when_the_language_changes(qtbot):
    from virtquest.content.profiles import load_profile
    from virtquest.game.sandbox import STARTER, STARTER_KO, SandboxSession
    from virtquest.game.sandbox_debugger import Stepper
    from virtquest.gui.qt_debugger import DebuggerView
    from virtquest.gui.qt_editor import InstructionLegend
    from virtquest.gui.qt_sandbox import SandboxView
    from virtquest.gui.qt_timeline import TimelineView

    debugger = DebuggerView(Stepper("_start:\n    hlt\n", "native", file="t.s",
                                    profile=load_profile()))
    timeline, legend = TimelineView(), InstructionLegend()
    sandbox = SandboxView(SandboxSession())
    sandbox.follow_app_language = True
    for widget in (debugger, timeline, legend, sandbox):
        qtbot.addWidget(widget)
    debugger.step()
    assert debugger.buttons["back"].text() == "◀ Step back"
    install_language("ko")
    assert debugger.buttons["back"].text() == "◀ 되돌리기"
    assert debugger.registers_box.title() == "CPU 레지스터"
    assert "멈췄습니다" in debugger.status.text()           # the machine's reason too
    assert "깨울 수 있는 것이 없습니다" in debugger.status.text()
    assert timeline.skip_boot.text() == "mini-OS 부팅 건너뛰기"
    assert timeline.summary.text() == "아직 실행하지 않았습니다."
    assert "특권 명령" in legend.label.text()
    assert sandbox.run_button.text() == "모든 모드로 실행"
    assert sandbox.editor.toPlainText() == STARTER_KO      # untouched: comments follow
    install_language("en")
    assert debugger.buttons["back"].text() == "◀ Step back"
    assert sandbox.editor.toPlainText() == STARTER


ASSEMBLY_MISTAKES = [
    "  movv eax, 1", "x:\nx:", "  mov eax,", "  .ascii \"open", "  mov eax, [ebx",
    "  .word", "  .ascii", "  .zero 99999999999", "  .align 3", "  .org 0\n  nop\n  .org 0",
    "  .bogus 1", "  .equ", "  .equ A 1 2", "  mov eax, 99999999999", "  mov eax, eax, eax",
    "  mov cr5, eax", "  mov eax, [ebx+]", "  mov eax, [+]", "  .if 1", "  .else",
    "  .if 1\n  .else\n  .else\n  .endif", "  mov eax, 1 2", "  mov eax, $", "  mov eax, (1",
    "  mov eax, nowhere", "  mov eax, 1/0", "  mov eax, 1 << 99", "  .if",
]


def test_what_the_assembler_says_is_shown_in_korean(qapp):
    """A sandbox program that does not assemble: the line/column message, in Korean, with what
    the assembler found kept as it is (and English word for word)."""
    from virtquest.emu.asm import assemble
    from virtquest.emu.errors import AssemblyError
    from virtquest.gui.messages import assembler_message

    said = set()
    for source in ASSEMBLY_MISTAKES:
        with pytest.raises(AssemblyError) as caught:
            assemble("_start:\n" + source + "\n  hlt\n")
        said.add(caught.value.message)
    assert len(said) >= 20
    install_language("en")
    assert all(assembler_message(text) == text for text in said)
    install_language("ko")
    try:
        untranslated = [t for t in said if not re.search("[가-힣]", assembler_message(t))]
        assert not untranslated, untranslated
        assert "'movv'" in assembler_message(next(t for t in said if "movv" in t))
        assert "'nowhere'" in assembler_message(next(t for t in said if "nowhere" in t))
    finally:
        install_language("en")


def test_the_sandbox_marks_a_bad_line_in_korean(qtbot):
    from virtquest.gui.qt_sandbox import SandboxView

    install_language("ko")
    try:
        view = SandboxView(language="ko")
        qtbot.addWidget(view)
        view.editor.setPlainText("main:\n    movv eax, 1\n    ret\n")
        view.run()
        view.wait()
        assert "2:" in view.status.text() and "명령어" in view.status.text()
    finally:
        install_language("en")
