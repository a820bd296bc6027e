"""Command-line options made from the settings dataclasses, so no default or help is retyped.

:func:`with_settings` adds one option per setting field (see
:func:`lumbopelvic.core.settings.setting`) to a Typer command; the command receives them
together as ``settings: dict``. :data:`ConfigOption` reads a TOML settings file whose keys
are the command's option names.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from lumbopelvic.core.settings import SettingField, coerce_setting, option_fields
from lumbopelvic.io.settings_file import load_settings_file


def _flags(field: SettingField) -> list[str]:
    flags = [f"--{field.name.replace('_', '-')}"]
    if field.type is bool:
        flags = [f"{flags[0]}/--no-{field.name.replace('_', '-')}"]
    return flags + ([field.short] if field.short else [])


def _annotation(field: SettingField) -> Any:
    """The option's type for Typer: a choice lists its values in ``--help``; a setting with a
    parser reads the flag's text with it (a bad value is a usage error, one line)."""
    if field.choices:
        return Annotated[
            Literal[field.choices],  # type: ignore[valid-type]
            typer.Option(*_flags(field), help=field.help, metavar=field.metavar),
        ]
    parser = _text_parser(field.parse) if field.parse else None
    return Annotated[
        field.type,
        typer.Option(*_flags(field), help=field.help, metavar=field.metavar, parser=parser),
    ]


def _text_parser(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def read(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as error:
            raise typer.BadParameter(str(error)) from None

    return read


def with_settings(
    *classes: type, exclude: tuple[str, ...] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command one option per setting of ``classes``; it gets them as ``settings``.

    The decorated function must take a ``settings`` keyword argument (a dict of option
    name to value). Its other parameters keep their own Typer annotations. Settings named
    in ``exclude`` are not offered (they keep their defaults).
    """
    fields = [field for field in option_fields(*classes) if field.name not in exclude]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        hints = typing.get_type_hints(command, include_extras=True)
        own = [
            param.replace(annotation=hints[param.name])
            for param in inspect.signature(command).parameters.values()
            if param.name != "settings"
        ]
        added = [
            inspect.Parameter(
                field.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=field.default,
                annotation=_annotation(field),
            )
            for field in fields
        ]
        # The settings go after the command's own options; --config stays last in --help.
        keyword = inspect.Parameter.KEYWORD_ONLY
        config = [p.replace(kind=keyword) for p in own if p.name == "config"]
        plain = [p for p in own if p.name != "config" and p.kind is not keyword]
        named = [p for p in own if p.name != "config" and p.kind is keyword]
        ordered = plain + named + added + config

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            settings = {field.name: kwargs.pop(field.name) for field in fields}
            return command(*args, settings=settings, **kwargs)

        wrapper.__signature__ = inspect.Signature(ordered)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in ordered}
        return wrapper

    return decorate


def _setting_classes() -> tuple[type, ...]:
    from lumbopelvic.workflows.settings import STEP_SETTINGS

    return STEP_SETTINGS


def _apply_settings_file(ctx: typer.Context, value: Path | None) -> Path | None:
    """Eager ``--config`` callback: the file's values become the command's defaults."""
    if value is None:
        return value
    params = {
        p.name: p
        for p in ctx.command.params
        if p.param_type_name == "option" and p.name not in ("config", "help")
    }
    settings = load_settings_file(value, set(params))
    typed = {field.name: field for field in option_fields(*_setting_classes())}
    for key, raw in settings.items():
        if key in typed:
            settings[key] = coerce_setting(typed[key], raw, value.name)
    ctx.default_map = {**(ctx.default_map or {}), **settings}
    return value


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="TOML file of settings (keys = option names); command-line options win.",
        callback=_apply_settings_file,
        is_eager=True,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Output folder (default: ./<input name>_lumbopelvic)."),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache", help="Compute everything again: no cached pose, no earlier video reused."
    ),
]


def read_jobs(text: str | int) -> int:
    """``--jobs``: a number of worker processes (1 or more), or ``auto`` (0): one per core.

    Raises
    ------
    typer.BadParameter
        For anything else (0 and negative numbers included): a usage error, one line.
    """
    if str(text).strip().lower() == "auto":
        return 0
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise typer.BadParameter(f"{text!r} is not a number of workers: give 1 or more, or auto")
    return jobs


JobsOption = Annotated[
    int,
    typer.Option(
        parser=read_jobs,
        metavar="N|auto",
        show_default=False,
        help="Worker processes: a number (1 or more), or auto for one per core (default: auto).",
    ),
]
