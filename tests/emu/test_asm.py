"""The assembler: the syntax of docs/isa.md ("Assembly source"), symbols and overrides, and errors
with line and column (each a message id with parameters from the core's catalogue)."""

import ast
from pathlib import Path

import pytest

from virtquest.emu import asm, expr
from virtquest.emu.asm import assemble, parse_define
from virtquest.emu.encoding import decode
from virtquest.emu.errors import AssemblyError
from virtquest.emu.messages import EN, message


def words(program, count=1, at=0):
    return [int.from_bytes(program.image[at + 4 * i:at + 4 * i + 4], "little") for i in range(count)]


def first(program):
    return decode(program.image[:8])


def test_case_insensitive_mnemonics_and_registers():
    assert first(assemble("MOV EAX, 0x10")).text() == "mov eax, 0x10"


def test_numbers_characters_and_expressions():
    p = assemble(".word 10, 0x1F, 'A', '\\n', 2+3*4, (2+3)*4, 1<<4, -1, ~0 & 0xFF")
    assert words(p, 9) == [10, 31, 65, 10, 14, 20, 16, 0xFFFFFFFF, 255]


def test_memory_operand_forms():
    texts = [decode(assemble(f"x: mov eax, {m}").image[:8]).text() for m in (
        "[ebx]", "[ebx+8]", "[ebx-8]", "[0x100]", "[x]", "[x+4]")]
    assert texts == ["mov eax, [ebx]", "mov eax, [ebx+0x8]", "mov eax, [ebx-0x8]",
                     "mov eax, [0x100]", "mov eax, [0x0]", "mov eax, [0x4]"]


def test_directives_lay_out_data():
    p = assemble('.byte 1, 2\n.align 4\n.ascii "ab"\n.asciz "c"\n.zero 3\n.org 16\nend: .word end')
    assert p.image[:4] == b"\x01\x02\x00\x00" and p.image[4:8] == b"abc\0"
    assert p.image[8:11] == b"\0\0\0" and p.symbols["end"] == 16 and words(p, 1, 16) == [16]


def test_equ_default_and_command_line_override():
    src = ".equ ITER, 100\n.word ITER"
    assert words(assemble(src)) == [100]
    assert words(assemble(src, defines={"ITER": 7})) == [7]


def test_conditional_assembly():
    src = ".equ PV, 0\n.if PV\n  nop\n.else\n  cli\n.endif"
    assert first(assemble(src)).mnemonic == "cli"
    assert first(assemble(src, defines={"PV": 1})).mnemonic == "nop"


def test_forward_labels_and_origin():
    p = assemble("jmp later\nnop\nlater: nop", origin=0x400000)
    assert first(p).imm == 0x400010 and p.lines[0x400000] == 1


def test_parse_define():
    assert parse_define("ITER=0x10") == ("ITER", 16)
    with pytest.raises(AssemblyError):
        parse_define("oops")


@pytest.mark.parametrize("source,line,col,words_in_message", [
    ("mov eax", 1, 1, "expected mov r, r"),
    ("nop\n  frob eax", 2, 3, "expected an instruction or directive"),
    ("  mov eax, [ebx", 1, 16, "expected ']'"),
    ("mov eax, nowhere", 1, 10, "'nowhere' is not defined"),
    ("  add eax, cr3", 1, 3, "expected add r, r"),
    ("mov cr5, eax", 1, 5, "control register"),
    (".if 1\nnop", 1, 1, "expected .endif"),
    (".endif", 1, 1, "without a matching .if"),
    ("x: nop\nx: nop", 2, 1, "already defined"),
    (".word 1 +", 1, 10, "expected a number"),
    ('.ascii "abc', 1, 12, "expected a closing"),
    (".byte 300", 1, 7, "fits in 8 bits"),
    (".align 3", 1, 1, "power of two"),
    ("nop\n.org 0", 2, 1, "expected .org at or after"),
    (".bogus 1", 1, 1, "expected a directive"),
    ("mov eax, 5 / 0", 1, 12, "non-zero divisor"),
    ("mov eax, ,", 1, 10, "expected an operand"),
])
def test_errors_name_line_column_and_what_was_expected(source, line, col, words_in_message):
    with pytest.raises(AssemblyError) as info:
        assemble(source, file="prog.s")
    err = info.value
    assert (err.file, err.line, err.column) == ("prog.s", line, col), str(err)
    assert words_in_message in err.message
    assert str(err).startswith(f"prog.s:{line}:{col}: ")


def test_nul_bytes_are_refused():
    with pytest.raises(AssemblyError, match="NUL"):
        assemble("nop\n\0")


def test_an_error_carries_its_message_id_and_parameters():
    with pytest.raises(AssemblyError) as info:
        assemble("nop\n  mov eax, nowhere + 1", file="prog.s")
    err = info.value
    assert err.detail == message("expr.undefined-symbol", name="nowhere")
    assert err.message == "expected a defined symbol, 'nowhere' is not defined"
    assert str(err) == f"prog.s:2:12: {err.message}"


def _message_calls(module) -> list[ast.Call]:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "message"]


def test_every_id_the_assembler_raises_is_in_the_catalogue():
    """Every message("…") in the assembler and the expressions names an id of `EN` and fills in
    exactly its placeholders."""
    from virtquest.emu.messages import placeholders

    calls = _message_calls(asm) + _message_calls(expr)
    assert len(calls) >= 40
    wrong = []
    for call in calls:
        id_ = call.args[0].value if call.args and isinstance(call.args[0], ast.Constant) else None
        given = {keyword.arg for keyword in call.keywords}
        if id_ not in EN or given != placeholders(EN[id_]):
            wrong.append((call.lineno, id_, sorted(given)))
    assert not wrong, wrong


def test_no_error_is_raised_as_english_text():
    """The assembler's errors are Messages: no text (a string or an f-string) is handed to an
    error as what it says."""
    def is_text(node) -> bool:
        return isinstance(node, ast.JoinedStr) or isinstance(node, ast.Constant) \
            and isinstance(node.value, str)

    raised = 0
    wrong = []
    for module in (asm, expr):
        for node in ast.walk(ast.parse(Path(module.__file__).read_text(encoding="utf-8"))):
            name = getattr(node, "func", None)
            name = getattr(name, "attr", None) or getattr(name, "id", None)
            if isinstance(node, ast.Call) and name in ("error", "AssemblyError", "ExprError"):
                raised += 1
                if node.args and is_text(node.args[-1]):
                    wrong.append(f"{module.__name__}:{node.lineno}")
    assert raised >= 40 and not wrong, wrong
