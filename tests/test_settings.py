"""Settings are declared once: the dataclasses give the defaults, the CLI options and the help."""

import dataclasses

import pytest
from conftest import run_cli

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.settings import option_fields
from lumbopelvic.workflows.settings import STEP_SETTINGS, AnalysisSettings


def test_flat_options_build_the_grouped_settings():
    settings = AnalysisSettings.from_options(
        task="squat", cutoff_hz=4.0, model="lite", blur_face=False
    )
    assert settings.rhythm.task == "squat" and settings.angles.cutoff_hz == 4.0
    assert settings.pose.model == "lite" and settings.outputs.blur_face is False
    again = AnalysisSettings.from_options(settings, max_gap_s=0.1)
    assert again.rhythm.task == "squat" and again.angles.max_gap_s == 0.1
    assert again.as_options()["max_gap_s"] == 0.1
    assert "hampel_sigma" not in again.as_options()  # not a command-line option
    assert "hampel_sigma" in again.as_options(all_fields=True)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"cutoff": 4}, "unknown setting.s. cutoff"),
        ({"task": "jumping"}, "unknown task 'jumping'"),
        ({"slow_motion": 0}, "slow_motion must be positive"),
        ({"max_people": 0}, "max_people must be at least 1"),
        ({"subject_height_m": 170}, "height in metres"),
    ],
)
def test_bad_settings_are_one_clear_error(options, message):
    with pytest.raises(LumbopelvicError, match=message):
        AnalysisSettings.from_options(**options)


def test_every_setting_is_an_analyze_option_with_its_default_and_help():
    result = run_cli("analyze", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    fields = list(option_fields(*STEP_SETTINGS))
    assert {f.name for f in fields} >= {
        "model",
        "max_people",
        "cutoff_hz",
        "max_gap_s",
        "slow_motion",
        "task",
        "blur_face",
        "subject_height_m",
    }
    for field in fields:
        assert f"--{field.name.replace('_', '-')}" in text
        assert " ".join(field.help.split()[:2]) in text


def test_defaults_live_only_in_the_dataclasses():
    defaults = {f.name: f.default for step in STEP_SETTINGS for f in dataclasses.fields(step)}
    assert defaults["cutoff_hz"] == AnalysisSettings().angles.cutoff_hz
    assert defaults["model"] == AnalysisSettings().pose.model


COMMANDS = ("pose", "angles", "rhythm", "analyze", "compare", "batch", "validate")


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_a_settings_file_of_its_own_options(tmp_path, command):
    settings = tmp_path / "study.toml"
    settings.write_text("max_people = 1\n")  # a pose setting: every command has it
    assert run_cli(command, "--config", str(settings), "--help").returncode == 0
    settings.write_text('task = "squat"\n')
    result = run_cli(command, "--config", str(settings), "--help")
    if command in ("pose", "angles", "validate"):  # no --task here: a clear refusal
        assert result.returncode == 2 and "unknown setting(s) task" in result.stderr
    else:
        assert result.returncode == 0, result.stderr


def test_a_bad_value_in_a_settings_file_is_one_line(tmp_path):
    settings = tmp_path / "study.toml"
    settings.write_text('task = "jumping"\n')
    result = run_cli("rhythm", str(tmp_path / "x.mp4"), "--config", str(settings))
    assert result.returncode == 2 and "unknown task 'jumping'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
