"""Settings dataclasses declare each setting once: its default, its help text, its flag.

Every step's settings are a frozen dataclass whose fields are made with :func:`setting`.
The command line builds its options from these fields (nothing is retyped there), a TOML
settings file uses the same names, and the effective values are written to the outputs'
provenance with :func:`dataclasses.asdict`.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Callable, Iterator
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError


def setting(
    default: Any,
    help: str,
    *,
    option: bool = True,
    short: str | None = None,
    choices: tuple[str, ...] | None = None,
    parse: Callable[[str], Any] | None = None,
    metavar: str | None = None,
) -> Any:
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
    choices
        The only values allowed (text settings): ``--help`` lists them.
    parse
        Turns the text of a flag or a settings-file string into the value (e.g. ``"1:05.5"``
        into 65.5 seconds); raises ``ValueError`` or ``LumbopelvicError`` for bad text.
    metavar
        How ``--help`` names the value (e.g. ``"TIME"``).
    """
    metadata = {
        "help": help,
        "option": option,
        "short": short,
        "choices": choices,
        "parse": parse,
        "metavar": metavar,
    }
    return dataclasses.field(default=default, metadata=metadata)


@dataclasses.dataclass(frozen=True)
class SettingField:
    """One setting as the command line sees it."""

    name: str
    type: Any
    default: Any
    help: str
    short: str | None
    choices: tuple[str, ...] | None = None
    parse: Callable[[str], Any] | None = None
    metavar: str | None = None


def option_fields(*classes: type) -> Iterator[SettingField]:
    """The command-line settings of the given dataclasses, in declaration order."""
    for cls in classes:
        hints = typing.get_type_hints(cls)
        for item in dataclasses.fields(cls):
            if not item.metadata.get("option"):
                continue
            meta = item.metadata
            yield SettingField(
                item.name,
                hints[item.name],
                item.default,
                meta["help"],
                meta.get("short"),
                meta.get("choices"),
                meta.get("parse"),
                meta.get("metavar"),
            )


def pick(cls: type, values: dict[str, Any]) -> Any:
    """An instance of the settings dataclass ``cls`` from the ``values`` that are its fields."""
    names = {item.name for item in dataclasses.fields(cls)}
    return cls(**{key: value for key, value in values.items() if key in names})


def option_label(name: str) -> str:
    """How a setting is named to the user: its settings-file key and its flag."""
    return f"{name} (--{name.replace('_', '-')})"


def require_finite(settings: Any) -> None:
    """Raise a one-line error naming the first numeric setting that is NaN or infinite.

    Called first in every settings dataclass's ``__post_init__``, so no NaN or infinity
    reaches a computation or a JSON file.
    """
    for item in dataclasses.fields(settings):
        value = getattr(settings, item.name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if not math.isfinite(value):
            label = option_label(item.name)
            raise LumbopelvicError(f"{label} must be a finite number, got {value}")


def coerce_setting(field: SettingField, value: Any, source: str) -> Any:
    """``value`` (from a settings file) as the setting's type, or a one-line error.

    Parameters
    ----------
    field
        The setting.
    value
        What the file holds (TOML gives bool, int, float, str).
    source
        The file's name, for the message.
    """
    kinds = typing.get_args(field.type) or (field.type,)
    if field.choices and value not in field.choices:
        raise LumbopelvicError(
            f"{source}: unknown {field.name} {value!r}; choose one of {', '.join(field.choices)}"
        )
    if field.parse is not None and isinstance(value, str):
        try:
            return field.parse(value)
        except ValueError as error:
            raise LumbopelvicError(f"{source}: {field.name}: {error}") from None
    if value is None and type(None) in kinds:
        return None
    if bool in kinds and isinstance(value, bool):
        return value
    if float in kinds and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if int in kinds and isinstance(value, int) and not isinstance(value, bool):
        return value
    if str in kinds and isinstance(value, str):
        return value
    wanted = " or ".join(
        KIND_NAMES.get(kind, kind.__name__) for kind in kinds if kind is not type(None)
    )
    raise LumbopelvicError(f"{source}: {field.name} must be {wanted}, got {value!r}")


KIND_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}
