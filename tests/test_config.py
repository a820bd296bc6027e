import pytest

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.settings_file import load_settings_file

ALLOWED = {"cutoff_hz", "max_gap_s", "blur_face", "model"}


def test_keys_with_dashes_or_underscores(tmp_path):
    path = tmp_path / "study.toml"
    path.write_text('cutoff-hz = 4.0\nmax_gap_s = 0.1\nblur_face = false\nmodel = "lite"\n')
    assert load_settings_file(path, ALLOWED) == {
        "cutoff_hz": 4.0,
        "max_gap_s": 0.1,
        "blur_face": False,
        "model": "lite",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [("cutoff = 4\n", "unknown setting"), ("cutoff_hz = = 4\n", "not valid TOML")],
)
def test_bad_settings_files_are_one_clear_error(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(LumbopelvicError, match=message):
        load_settings_file(path, ALLOWED)


def test_missing_settings_file(tmp_path):
    with pytest.raises(LumbopelvicError, match="not found"):
        load_settings_file(tmp_path / "none.toml", ALLOWED)
