import cv2
import numpy as np
import pytest

from lumbopelvic.core.landmarks import LANDMARK_FIELDS, LANDMARK_INDEX, N_LANDMARKS
from lumbopelvic.core.outline_codec import decode_outline, encode_outline
from lumbopelvic.pose.silhouette import mask_outline, subject_outline


def _ellipse_mask(shape=(200, 300), centre=(150, 100), axes=(60, 40)) -> np.ndarray:
    mask = np.zeros(shape, np.float32)
    cv2.ellipse(mask, centre, axes, 0, 0, 360, 1.0, -1)
    return mask


def test_outline_follows_the_mask_boundary():
    outline = mask_outline(_ellipse_mask())
    assert len(outline) >= 8
    # Every vertex lies on the ellipse boundary (within the simplification tolerance + 1 px).
    x, y = outline[:, 0] - 150.0, outline[:, 1] - 100.0
    radius = np.sqrt((x / 60) ** 2 + (y / 40) ** 2)
    assert np.all(np.abs(radius - 1) * 40 < 2.5)
    assert cv2.contourArea(outline.reshape(-1, 1, 2)) == pytest.approx(np.pi * 60 * 40, rel=0.05)


def test_anchor_picks_the_blob_it_lies_in():
    mask = _ellipse_mask(centre=(60, 100), axes=(30, 30)) + _ellipse_mask(
        centre=(220, 100), axes=(60, 60)
    )
    small = mask_outline(mask, anchor=(60, 100))
    assert small[:, 0].max() < 100
    largest = mask_outline(mask)
    assert largest[:, 0].min() > 150


def test_roi_limits_the_search_and_keeps_full_image_coordinates():
    mask = _ellipse_mask()
    outline = mask_outline(mask, roi=(140, 0, 300, 200))
    assert outline[:, 0].min() >= 140
    assert outline[:, 0].max() <= 211


def test_subject_outline_is_the_whole_body_of_the_person_whose_landmarks_are_given():
    mask = _ellipse_mask(centre=(60, 100), axes=(40, 80)) + _ellipse_mask(
        centre=(200, 100), axes=(40, 80)
    )
    for x in (60, 200):
        # Joint centres lie inside the body: the outline reaches beyond them.
        landmarks = np.full((N_LANDMARKS, len(LANDMARK_FIELDS)), np.nan)
        landmarks[:, :2] = (x, 100)
        landmarks[LANDMARK_INDEX["nose"], :2] = (x - 30, 40)
        landmarks[LANDMARK_INDEX["left_ankle"], :2] = (x + 30, 160)
        outline = subject_outline(mask, landmarks)
        assert np.abs(outline[:, 0] - x).max() <= 41
        area = cv2.contourArea(outline.reshape(-1, 1, 2))
        assert area == pytest.approx(np.pi * 40 * 80, rel=0.05)


def test_empty_mask_gives_empty_outline():
    assert mask_outline(np.zeros((50, 50), np.float32)).shape == (0, 2)
    assert mask_outline(_ellipse_mask(), roi=(0, 0, 5, 5)).shape == (0, 2)


def test_encode_decode_round_trip():
    outline = mask_outline(_ellipse_mask())
    text = encode_outline(outline)
    assert text.count(",") == len(outline)
    np.testing.assert_array_equal(decode_outline(text), outline)
    assert decode_outline("").shape == (0, 2)
    assert decode_outline(float("nan")).shape == (0, 2)
