"""Names vulture (the dead-code check of `make lint`) cannot see being used: each is called or
read by name, by Qt, pydantic, pytest or the code the emulator generates. Vulture only counts the
names below as used; this file is never imported. Add a name here only when its use really is
dynamic — anything else that vulture reports is dead code to remove."""

# ruff: noqa
_ = object()

# Qt calls these overrides of its virtual methods itself.
_.paintEvent
_.resizeEvent
_.showEvent
_.hideEvent
_.closeEvent
_.changeEvent
_.event
_.eventFilter
_.keyPressEvent
_.mousePressEvent
_.mouseMoveEvent
_.mouseReleaseEvent
_.mouseDoubleClickEvent
_.wheelEvent
_.enterEvent
_.leaveEvent
_.focusInEvent
_.focusOutEvent
_.sizeHint
_.minimumSizeHint
_.hasHeightForWidth
_.heightForWidth
_.expandingDirections
_.highlightBlock

# The main window builds each view by the factory name in its registry (gui/main_window.py).
_.create_view

# pydantic reads a model's configuration and fills and dumps its fields by name.
_.model_config
_.font_scale            # progress/export.py: the settings of an exported profile
_.lab_tour
_.card_id               # progress/export.py: an exported review card
_.stability
_.difficulty
_.last_review
_.app_version           # progress/export.py: the document's header
_.exported_at

# CPU services and accessors named in the instruction definitions (emu/isa.py, `cpu.<name>(…)`)
# and in the Python source the fast path generates (emu/codegen.py, emu/blockgen.py).
_.software_interrupt
_.interrupt_return
_.port_in
_.port_out
_.read_msr
_.write_msr
_.cpuid
_.read8_current
_.write8_current
_.supervisor            # BlockContext fields read by compiled blocks
_.supervisor_writes
_.end_block             # set when a block must end after the instruction running now

# VMCS controls the step debugger lists by name (game/debugger_model.py).
_.hlt_exiting
_.tpr_shadow

# Tests: how Hypothesis prints a failing example; pytest-qt's fixture, requested by name; the
# arguments of a context manager's __exit__.
_._repr_pretty_
qapp
exc_info
