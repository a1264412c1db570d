"""Generated documentation stays in step with the code it describes."""

from pathlib import Path

from virtquest.emu.isadoc import render

DOCS = Path(__file__).resolve().parents[1] / "docs"     # the checkout's docs (not installed)


def test_isa_page_is_fresh():
    page = (DOCS / "isa.md").read_text(encoding="utf-8")
    assert page == render(), "docs/isa.md is stale: run `make docs`"


def test_isa_page_lists_every_instruction_class():
    page = render()
    for word in ("popf", "sidt", "vmcall", "invlpg", "Privileged", "Sensitive but unprivileged"):
        assert word in page
