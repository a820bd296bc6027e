"""Settings dataclasses declare each setting once: its default, its help text, its flag.

Every step's settings are a frozen dataclass whose fields are made with :func:`setting`.
The command line builds its options from these fields (nothing is retyped there), a TOML
settings file uses the same names, and the effective values are written to the outputs'
provenance with :func:`dataclasses.asdict`.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator
from typing import Any


def setting(default: Any, help: str, *, option: bool = True, short: str | None = None) -> Any:
    """A dataclass field for a setting.

    Parameters
    ----------
    default
        The default value: the only place it is written.
    help
        One line for ``--help``, with the unit.
    option
        Offer it as a command-line option and settings-file key (``False``: a setting for
        the Python API only, e.g. an advanced threshold).
    short
        A short flag such as ``"-m"``.
    """
    return dataclasses.field(
        default=default, metadata={"help": help, "option": option, "short": short}
    )


@dataclasses.dataclass(frozen=True)
class SettingField:
    """One setting as the command line sees it."""

    name: str
    type: Any
    default: Any
    help: str
    short: str | None


def option_fields(*classes: type) -> Iterator[SettingField]:
    """The command-line settings of the given dataclasses, in declaration order."""
    for cls in classes:
        hints = typing.get_type_hints(cls)
        for item in dataclasses.fields(cls):
            if not item.metadata.get("option"):
                continue
            yield SettingField(
                item.name, hints[item.name], item.default, item.metadata["help"],
                item.metadata.get("short"),
            )  # fmt: skip


def pick(cls: type, values: dict[str, Any]) -> Any:
    """An instance of the settings dataclass ``cls`` from the ``values`` that are its fields."""
    names = {item.name for item in dataclasses.fields(cls)}
    return cls(**{key: value for key, value in values.items() if key in names})
