"""Output folders and input kinds are decided in one place."""

import pytest

from lumbopelvic.io.layout import default_output_dir, input_kind, input_name


def test_default_output_folder_uses_one_rule_for_files_and_folders(tmp_path):
    video = tmp_path / "client.session 2.mp4"
    video.write_bytes(b"")
    folder = tmp_path / "study.v1"
    folder.mkdir()
    assert input_name(video) == "client.session 2"
    assert input_name(folder) == "study.v1"
    assert default_output_dir(video, tmp_path) == tmp_path / "client.session 2_lumbopelvic"
    assert default_output_dir(folder, tmp_path) == tmp_path / "study.v1_lumbopelvic"


@pytest.mark.parametrize(
    ("files", "name", "kind"),
    [
        ({"summary.json": "{}", "landmarks.parquet": ""}, ".", "analysis"),
        ({"landmarks.parquet": ""}, ".", "landmarks"),
        ({"angles.csv": "time_s,trunk_deg\n"}, ".", "angles"),
        ({"a.csv": "frame,time_s,trunk_deg\n"}, "a.csv", "angles"),
        ({"b.csv": "frame,time_s,nose_x_px\n"}, "b.csv", "landmarks"),
        ({"t.parquet": ""}, "t.parquet", "landmarks"),
        ({"clip.MOV": ""}, "clip.MOV", "video"),
        ({}, "missing.mp4", "video"),
    ],
)
def test_input_kind(tmp_path, files, name, kind):
    for file, text in files.items():
        (tmp_path / file).write_text(text)
    assert input_kind(tmp_path / name) == kind
