"""The Korean catalogue: every string of every module under virtquest/gui is translated, no
translatable string hides from lupdate, placeholders and accelerators survive translation, the
committed .qm is what lrelease makes of the .ts, the core's message catalogue has a Korean twin,
and the lab's and sandbox's parts speak Korean (including what the machine and the hypervisors
report, which they word in English, and what the assembler reports, by message id)."""

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
    """Stop reasons, x86 holes, containment breaks and refusals come from the core as message
    ids with parameters; each kind a run produces is shown in Korean, with the numbers the run
    filled in (and in English word for word as the core says it)."""
    from virtquest.emu.messages import message
    from virtquest.game.sandbox_model import EXAMPLES, run_everywhere
    from virtquest.gui.messages import message_text

    report = run_everywhere((EXAMPLES / "kernel_main.s").read_text(encoding="utf-8"),
                            file="kernel_main.s")
    runaway = run_everywhere("main:\nforever:\n    jmp forever\n", budget=200_000)
    said = [run.result.detail for run in report.runs + runaway.runs]
    said += [d["how"] for run in report.runs for d in run.divergences]
    said += [message("containment.real-device", instruction="out 0x40, eax", port=0x40),
             message("refusal.outside-ram", address=0x800000)]
    # the kinds these runs produce: the end of a run, the budget's stop, two x86 holes, and
    # the two verdicts made above
    assert {m.id for m in said} == {"run.powered-off", "run.budget", "hole.cs", "hole.iret",
                                    "containment.real-device", "refusal.outside-ram"}
    assert all(message_text(m, "en") == str(m) for m in said)
    install_language("ko")
    untranslated = [str(m) for m in said if not re.search("[가-힣]", message_text(m))]
    assert not untranslated, untranslated
    cs_hole = next(m for m in said if m.id == "hole.cs")
    assert "0x11" in message_text(cs_hole)


def test_the_lab_and_sandbox_parts_retranslate_when_the_language_changes(qtbot):
    from virtquest.content.profiles import load_profile
    from virtquest.game.debugger_model import Stepper
    from virtquest.game.sandbox_model import STARTER, STARTER_KO, SandboxModel
    from virtquest.gui.qt_debugger import DebuggerView
    from virtquest.gui.qt_editor import InstructionLegend
    from virtquest.gui.qt_sandbox import SandboxView
    from virtquest.gui.qt_timeline import TimelineView

    debugger = DebuggerView(Stepper("_start:\n    hlt\n", "native", file="t.s",
                                    profile=load_profile()))
    timeline, legend = TimelineView(), InstructionLegend()
    sandbox = SandboxView(SandboxModel())
    sandbox.follow_app_language = True
    for widget in (debugger, timeline, legend, sandbox):
        qtbot.addWidget(widget)
    debugger.step()
    assert debugger.buttons["back"].text() == "◀ Step back"
    install_language("ko")
    assert debugger.buttons["back"].text() == "◀ 되돌리기"
    assert debugger.state_panel.registers_box.title() == "CPU 레지스터"
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


def test_the_korean_catalogue_has_the_english_ids_and_placeholders():
    """One Korean template per id of the core's English catalogue, filling in the same
    parameters, and each one actually Korean."""
    from virtquest.emu.messages import EN, placeholders
    from virtquest.gui.messages_ko import KO

    assert sorted(set(EN) - set(KO)) == [], "ids without Korean"
    assert sorted(set(KO) - set(EN)) == [], "Korean for ids the core does not have"
    wrong = {id_: (sorted(placeholders(EN[id_])), sorted(placeholders(KO[id_])))
             for id_ in EN if placeholders(EN[id_]) != placeholders(KO[id_])}
    assert not wrong, wrong
    assert not [id_ for id_, korean in KO.items() if not re.search("[가-힣]", korean)]


# id -> a line (after "_start:") that makes the assembler say it; every id of the assembler and
# its expressions has one (asm.define-syntax comes from the command line's -D).
ASSEMBLY_MISTAKES = {
    "asm.nul-byte": "  nop\0",
    "asm.program-too-big": "  .zero 1048576\n  .zero 1",
    "asm.unknown-statement": "  movv eax, 1",
    "asm.symbol-redefined": "x:\nx:",
    "asm.empty-operand": "  mov eax,",
    "asm.unclosed-quote": '  .ascii "open',
    "asm.unclosed-bracket": "  mov eax, [ebx",
    "asm.if-too-deep": "  .if 1\n" * 70,
    "asm.if-without-condition": "  .if",
    "asm.if-unmatched": "  .else",
    "asm.if-second-else": "  .if 1\n  .else\n  .else\n  .endif",
    "asm.if-unclosed": "  .if 1",
    "asm.unknown-directive": "  .bogus 1",
    "asm.equ-syntax": "  .equ A 1 2",
    "asm.data-without-values": "  .word",
    "asm.string-expected": "  .ascii",
    "asm.string-unquoted": "  .asciz open",
    "asm.string-bad-escape": '  .ascii "a\\q"',
    "asm.one-value-expected": "  .zero 1, 2",
    "asm.zero-size-out-of-range": "  .zero 99999999999",
    "asm.align-not-power-of-two": "  .align 3",
    "asm.org-backwards": "  .org 0\n  nop\n  .org 0",
    "asm.org-too-far": "  .org 0x200000",
    "asm.value-too-wide": "  mov eax, 99999999999",
    "asm.operands-mismatch": "  mov eax, eax, eax",
    "asm.operands-missing": "  push",
    "asm.control-register": "  mov cr5, eax",
    "asm.memory-unclosed": "  mov eax, [ebx]+4",
    "asm.displacement-missing": "  mov eax, [ebx+]",
    "asm.memory-empty": "  mov eax, []",
    "expr.unexpected-character": "  mov eax, 1 @ 2",
    "expr.too-complex": "  mov eax, " + "+".join(["1"] * 300),
    "expr.trailing-token": "  mov eax, 1 2",
    "expr.missing-operand": "  .word 1 +",
    "expr.unexpected-token": "  mov eax, *1",
    "expr.unclosed-parenthesis": "  .if (1",
    "expr.number-too-wide": "  mov eax, " + "9" * 30,
    "expr.character-bad-escape": "  mov eax, '\\q'",
    "expr.character-too-wide": "  mov eax, '한'",
    "expr.undefined-symbol": "  mov eax, nowhere",
    "expr.division-by-zero": "  mov eax, 1/0",
    "expr.shift-out-of-range": "  mov eax, 1 << 99",
    "expr.value-too-wide": "  mov eax, 0xFFFFFFFFFFFFFFFF * 16",
    "asm.include-syntax": "  .include",
    "asm.include-unknown": '  .include "nowhere.s"',
}
# Mistakes only a library of one's own can make: (source, the library's files).
INCLUDE_MISTAKES = {
    "asm.include-cycle": ('  .include "a.s"', {"a.s": '.include "b.s"', "b.s": '.include "a.s"'}),
    "asm.include-too-deep": ('  .include "f0.s"',
                             {f"f{i}.s": f'.include "f{i + 1}.s"' for i in range(20)}),
}


def _assembly_errors(monkeypatch) -> dict:
    """id -> the AssemblyError each mistake raises (images limited to 1 MiB, to stay small)."""
    from virtquest.emu import asm
    from virtquest.emu.errors import AssemblyError

    monkeypatch.setattr(asm, "MAX_IMAGE", 1 << 20)
    errors = {}
    for expected, source in ASSEMBLY_MISTAKES.items():
        with pytest.raises(AssemblyError) as caught:
            asm.assemble("_start:\n" + source + "\n  hlt\n")
        errors[expected] = caught.value
    for expected, (source, files) in INCLUDE_MISTAKES.items():
        with pytest.raises(AssemblyError) as caught:
            asm.assemble("_start:\n" + source + "\n  hlt\n", files=files)
        errors[expected] = caught.value
    with pytest.raises(AssemblyError) as caught:
        asm.parse_define("oops")
    errors["asm.define-syntax"] = caught.value
    return errors


def test_every_assembler_message_has_a_mistake_that_raises_it(monkeypatch):
    from virtquest.emu.messages import EN

    errors = _assembly_errors(monkeypatch)
    assert {id_: error.detail.id for id_, error in errors.items()
            if error.detail.id != id_} == {}
    assert set(errors) == {id_ for id_ in EN if id_.startswith(("asm.", "expr."))}


def test_what_the_assembler_says_is_shown_in_korean(qapp, monkeypatch):
    """A sandbox program that does not assemble: the line/column message, in Korean from the
    message's id, with what the assembler found kept as it is (and English word for word)."""
    from virtquest.gui.messages import message_text

    errors = _assembly_errors(monkeypatch)
    install_language("en")
    assert all(f"{e.file}:{e.line}:{e.column}: {message_text(e.detail)}" == str(e)
               and message_text(e.detail) == e.message for e in errors.values())
    install_language("ko")
    try:
        korean = {id_: message_text(error.detail) for id_, error in errors.items()}
        untranslated = [text for text in korean.values() if not re.search("[가-힣]", text)]
        assert not untranslated, untranslated
        lost = {id_: (name, value) for id_, error in errors.items()
                for name, value in error.detail.params.items()
                if isinstance(value, str) and value not in korean[id_]}
        assert not lost, lost
        assert "'movv'" in korean["asm.unknown-statement"]
        assert "'nowhere'" in korean["expr.undefined-symbol"]
        assert "0x8" in korean["asm.org-backwards"]
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
        assert "2:" in view.status.text() and "명령이나 지시어" in view.status.text()
    finally:
        install_language("en")
