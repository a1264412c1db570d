"""`.include "NAME"`: a file of the library shipped with the mini-OS (assets/guest/lib), assembled
where the line stands; errors name the included file and its line (docs/isa.md, docs/minios.md)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from virtquest.content.profiles import load_profile
from virtquest.emu.asm import MAX_INCLUDE_DEPTH, assemble
from virtquest.emu.boot import load_guest
from virtquest.emu.errors import AssemblyError
from virtquest.emu.messages import EN
from virtquest.emu.resources import LIBRARY, PROGRAMS
from virtquest.emu.source import library

PROFILE = load_profile("modern")


def run(source: str, file: str = "prog.s") -> str:
    guest = load_guest(source, file=file, profile=PROFILE)
    result = guest.run(budget=5_000_000)
    assert result.finished, result.message
    return result.console


def error_of(source: str, files: dict[str, str] | None = None) -> AssemblyError:
    with pytest.raises(AssemblyError) as info:
        assemble(source, file="prog.s", files=files)
    err = info.value
    assert err.detail.id in EN and "\n" not in str(err)
    return err


# --- the shipped library ----------------------------------------------------------------------

def test_the_library_is_found_through_resources_and_lists_its_files():
    assert LIBRARY.is_dir()
    assert sorted(library()) == sorted(p.name for p in LIBRARY.glob("*.s"))
    assert {"console.s", "print.s"} <= set(library())


def test_console_routines_print_from_kernel_mode():
    source = ("_start:\n    mov esp, 0x80000\n    mov esi, s\n    call puts\n"
              "    mov eax, 4096\n    call print_dec\n    xor eax, eax\n    out 0xF4, eax\n"
              '.include "console.s"\ns: .asciz "count "\n')
    assert run(source) == "count 4096"


def test_print_routines_print_from_a_user_program_and_keep_every_register():
    source = ("main:\n    mov esi, 77\n    mov edi, 88\n    mov ebx, s\n    mov eax, -305\n"
              "    call print_result\n    mov eax, esi\n    add eax, edi\n    call print_num\n"
              "    call newline\n    xor eax, eax\n    ret\n"
              '.include "print.s"\ns: .asciz "value = "\n')
    assert run(source) == "value = -305\n165\n"


def test_included_code_maps_to_the_include_line_and_to_its_own_file():
    source = "_start:\n    call puts\n    hlt\n\n" + '.include "console.s"\n'
    program = assemble(source, file="prog.s")
    text = library()["console.s"].split("\n")
    puts = program.symbols["puts"]
    assert program.lines[puts] == 5                         # the .include line of prog.s
    file, line = program.origins[puts]
    assert file == "console.s" and text[line - 1].strip() == "movb eax, [esi]"
    assert program.lines[0] == 2 and 0 not in program.origins   # the program's own lines
    assert set(program.origins) == {a for a in program.code if a >= puts}
    assert program.included == {"console.s": library()["console.s"]}
    assert program.source == source


# --- the directive, with a library given by the test --------------------------------------------

def test_included_text_assembles_as_if_written_in_place():
    inline = "nop\nx: mov eax, 1\n    jmp x\n.word x\ny: nop\n"
    split = 'nop\n.include "part.s"\ny: nop\n'
    a = assemble(inline)
    b = assemble(split, files={"part.s": "x: mov eax, 1\n    jmp x\n.word x"})
    assert (a.image, a.symbols, a.code) == (b.image, b.symbols, b.code)


def test_a_label_before_the_include_names_its_first_byte():
    program = assemble('nop\nlib: .include "a.s"\n', files={"a.s": "\n; c\n  ret\n"})
    assert program.symbols["lib"] == 8 and program.origins[8] == ("a.s", 3)


def test_a_file_included_again_is_read_once():
    files = {"a.s": 'a: nop\n.include "b.s"\n', "b.s": "b: ret\n"}
    program = assemble('.include "a.s"\n.include "b.s"\n.include "a.s"\n', files=files)
    assert len(program.image) == 16 and program.symbols == {"a": 0, "b": 8}


def test_nested_files_map_to_the_innermost_file_and_the_outermost_include_line():
    files = {"a.s": 'nop\n.include "b.s"\n', "b.s": "\n\nhlt\n"}
    program = assemble('nop\n\n.include "a.s"\n', files=files)
    assert program.lines == {0: 1, 8: 3, 16: 3}
    assert program.origins == {8: ("a.s", 1), 16: ("b.s", 3)}


def test_an_include_in_a_branch_not_taken_is_not_read():
    program = assemble('.if 0\n.include "nowhere.s"\n.else\nnop\n.endif\n', files={})
    assert len(program.image) == 8


def test_an_included_file_may_use_the_including_files_conditions_and_defines():
    files = {"pv.s": ".if PV\n  vmcall\n.else\n  cli\n.endif\n"}
    source = '.equ PV, 0\n.include "pv.s"\n'
    assert assemble(source, files=files).image != assemble(source, files=files,
                                                           defines={"PV": 1}).image


# --- errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["nowhere.s", "../minios.s", "lib/console.s", "/etc/passwd",
                                  "console", "CONSOLE.S", ""])
def test_a_name_the_library_does_not_have_is_an_error_listing_those_it_has(name):
    err = error_of(f'nop\n  .include "{name}"\n')
    assert (err.file, err.line, err.column) == ("prog.s", 2, 12)
    assert err.detail.id == "asm.include-unknown" and "console.s, print.s" in err.message


@pytest.mark.parametrize("line", [".include", ".include console.s", ".include 'console.s'",
                                  '.include "a.s", "b.s"', '.include "console.s'])
def test_a_malformed_include_is_an_error_on_its_line(line):
    err = error_of(f"nop\n{line}\n")
    assert (err.file, err.line) == ("prog.s", 2)
    assert err.detail.id in ("asm.include-syntax", "asm.string-unquoted", "asm.unclosed-quote")


def test_an_error_inside_an_included_file_names_that_file_and_its_line():
    files = {"bad.s": "ok: nop\n\n    mov eax, nowhere\n"}
    err = error_of('nop\n.include "bad.s"\n', files)
    assert (err.file, err.line, err.column) == ("lib/bad.s", 3, 14)
    assert str(err).startswith("lib/bad.s:3:14: ")


def test_a_label_of_the_program_that_the_library_defines_too_is_named_in_the_library():
    err = error_of('puts: nop\n.include "console.s"\n', None)
    assert err.file == "lib/console.s" and err.detail.id == "asm.symbol-redefined"
    assert library()["console.s"].split("\n")[err.line - 1].startswith("puts:")


def test_an_include_cycle_is_an_error_naming_the_circle():
    files = {"a.s": 'nop\n.include "b.s"\n', "b.s": '\n\n.include "a.s"\n'}
    err = error_of('.include "a.s"\n', files)
    assert (err.file, err.line) == ("lib/b.s", 3)
    assert err.detail.id == "asm.include-cycle" and "a.s → b.s → a.s" in err.message


def test_a_file_that_includes_itself_is_a_cycle():
    err = error_of('.include "a.s"\n', {"a.s": 'nop\n.include "a.s"\n'})
    assert (err.file, err.line) == ("lib/a.s", 2) and "a.s → a.s" in err.message


def test_includes_nest_to_a_limit():
    files = {f"f{i}.s": f'.include "f{i + 1}.s"\n' for i in range(MAX_INCLUDE_DEPTH + 2)}
    files[f"f{MAX_INCLUDE_DEPTH}.s"] = "nop\n"
    assert len(assemble('.include "f1.s"\n', files=files).image) == 8  # depth 8: allowed
    files[f"f{MAX_INCLUDE_DEPTH}.s"] = f'.include "f{MAX_INCLUDE_DEPTH + 1}.s"\n'
    err = error_of('.include "f1.s"\n', files)
    assert err.detail.id == "asm.include-too-deep" and err.file == f"lib/f{MAX_INCLUDE_DEPTH}.s"


def test_an_included_file_closes_the_ifs_it_opens():
    err = error_of('nop\n.include "a.s"\n', {"a.s": "nop\n.if 1\nnop\n"})
    assert (err.file, err.line, err.detail.id) == ("lib/a.s", 2, "asm.if-unclosed")


def test_an_included_file_cannot_close_the_including_files_if():
    err = error_of('.if 1\n.include "a.s"\n.endif\n', {"a.s": "nop\n.endif\n"})
    assert (err.file, err.line, err.detail.id) == ("lib/a.s", 2, "asm.if-unmatched")


# --- malformed and random input -----------------------------------------------------------------

NAMES = st.text(alphabet="ab.s/\\\"' ", max_size=6)


@st.composite
def libraries(draw) -> dict[str, str]:
    """A few small files that may include each other (cycles too), with statements and noise."""
    names = draw(st.lists(st.sampled_from(["a.s", "b.s", "c.s", "d.s"]), min_size=1,
                          max_size=4, unique=True))
    pieces = st.sampled_from(["nop", "ret", "x: nop", ".if 1", ".else", ".endif", "mov eax, x",
                              '"', ".include", *[f'.include "{n}"' for n in
                                                 ("a.s", "b.s", "c.s", "d.s", "e.s")]])
    return {name: "\n".join(draw(st.lists(pieces, max_size=6))) for name in names}


@given(libraries(), st.lists(st.sampled_from(['.include "a.s"', '.include "b.s"', "nop",
                                               ".include", "y: ret"]), max_size=5),
       NAMES)
@settings(max_examples=150, deadline=None, derandomize=True, database=None)
def test_any_include_either_assembles_or_names_a_line_of_a_file_it_read(files, lines, name):
    source = "\n".join([*lines, f".include {name}"])
    try:
        program = assemble(source, file="prog.s", files=files)
    except AssemblyError as err:
        text = source if err.file == "prog.s" else files[err.file.removeprefix("lib/")]
        assert 1 <= err.line <= len(text.split("\n")), str(err)
        assert err.detail.id in EN and "\n" not in str(err)
        return
    assert set(program.included) <= set(files)
    for address, (file, line) in program.origins.items():
        assert 1 <= line <= len(files[file].split("\n"))
        assert 1 <= program.lines[address] <= len(source.split("\n"))


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\0\n\r"),
               max_size=30))
@settings(max_examples=100, deadline=None, derandomize=True, database=None)
def test_random_text_after_include_is_a_clear_error(tail):
    try:
        assemble(f".include {tail}", file="prog.s")
    except AssemblyError as err:
        assert err.file in ("prog.s", "lib/console.s", "lib/print.s") and err.detail.id in EN


# --- the shipped programs use the library -----------------------------------------------------

WINDOW = 7      # this many library instructions in a row, in a program, make a copy


def _instructions(text: str) -> list[str]:
    """A file's instructions, one string each, comments gone and every own label read as L; a
    labelled instruction starts with "L:" (so a loop with a slot's label inside is no copy)."""
    labels = set(re.findall(r"^\s*([A-Za-z_.$][\w.$]*):", text, re.M))
    out, labelled = [], False
    for raw in text.split("\n"):
        line = raw.split(";", 1)[0]
        code = re.sub(r"^\s*(?:[A-Za-z_.$][\w.$]*:\s*)*", "", line).strip()
        labelled = labelled or code != line.strip()
        if code and not code.startswith("."):
            words = ("L" if word in labels else word for word in re.findall(r"[\w.$]+|\S", code))
            out.append(("L: " if labelled else "") + " ".join(words))
            labelled = False
    return out


def _windows(code: list[str]) -> set[tuple[str, ...]]:
    return {tuple(code[i:i + WINDOW]) for i in range(len(code) - WINDOW + 1)}


@pytest.mark.parametrize("path", sorted(PROGRAMS.glob("*/*.s")), ids=lambda p: p.name)
def test_no_shipped_program_carries_its_own_copy_of_a_library_routine(path):
    library_code = set().union(*(_windows(_instructions(t)) for t in library().values()))
    copied = _windows(_instructions(path.read_text(encoding="utf-8"))) & library_code
    assert not copied, f"{path.name}: use .include instead of {sorted(copied)[0]}"
