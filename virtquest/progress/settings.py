"""Per-profile settings as data: each key's default and the values it accepts."""

from __future__ import annotations

from dataclasses import dataclass

from virtquest.progress.errors import ProgressError


@dataclass(frozen=True)
class SettingSpec:
    """A setting's default and either its allowed values or its numeric range."""

    default: object
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def check(self, key: str, value: object) -> object:
        if self.choices:
            if value not in self.choices:
                raise ProgressError(f"setting {key} must be one of {', '.join(self.choices)}")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProgressError(f"setting {key} must be a number, got {value!r}")
        assert self.minimum is not None and self.maximum is not None
        if not self.minimum <= value <= self.maximum:
            raise ProgressError(f"setting {key} must be between {self.minimum} and {self.maximum}")
        return float(value)


# "system" follows the computer (locale, colour scheme) until the learner picks; every view must
# stay readable with text at 200%, so the range reaches past it.
SETTINGS: dict[str, SettingSpec] = {
    "language": SettingSpec(default="system", choices=("system", "ko", "en")),
    "theme": SettingSpec(default="system", choices=("system", "light", "dark")),
    "font_scale": SettingSpec(default=1.0, minimum=0.75, maximum=3.0),
    # The lab's first-run guide: shown when a level opens while "new"; Settings can replay it.
    "lab_tour": SettingSpec(default="new", choices=("new", "done")),
}


def setting_spec(key: str) -> SettingSpec:
    """The spec of a known setting, or an error naming the known ones."""
    try:
        return SETTINGS[key]
    except KeyError:
        raise ProgressError(
            f"unknown setting {key!r}; known settings: {', '.join(SETTINGS)}"
        ) from None
