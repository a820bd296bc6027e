import numpy as np
import pytest

from lumbopelvic.kinematics.back_outline import (
    back_profile,
    body_frame,
    from_body_coords,
    to_body_coords,
)


@pytest.mark.parametrize("facing", [1, -1])
def test_body_frame_standing(facing):
    a, n, length = body_frame(np.array([100.0, 500.0]), np.array([100.0, 200.0]), facing)
    np.testing.assert_allclose(a, [0, -1])
    np.testing.assert_allclose(n, [-facing, 0])
    assert length == 300


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize("trunk_deg", [0.0, 45.0, 90.0, 120.0])
def test_profile_of_a_rotated_box_is_its_back_wall(facing, trunk_deg):
    """A box from hip to shoulder, 0.3 L deep behind the axis, bent forward by trunk_deg."""
    hip = np.array([400.0, 600.0])
    t = np.radians(trunk_deg)
    shoulder = hip + 250 * np.array([facing * np.sin(t), -np.cos(t)])
    box_uv = np.array([[-0.2, -0.1], [-0.2, 0.3], [1.1, 0.3], [1.1, -0.1]])
    outline_px = from_body_coords(box_uv, hip, shoulder, facing)
    np.testing.assert_allclose(to_body_coords(outline_px, hip, shoulder, facing), box_uv, atol=1e-9)
    levels = np.linspace(0, 1, 11)
    np.testing.assert_allclose(back_profile(box_uv, levels), 0.3, atol=1e-9)
    # The back is on the side away from the facing direction, and upward when bent over.
    back_px = from_body_coords(np.array([[0.5, 0.3]]), hip, shoulder, facing)[0]
    mid_px = from_body_coords(np.array([[0.5, 0.0]]), hip, shoulder, facing)[0]
    if trunk_deg == 0:
        assert np.sign(back_px[0] - mid_px[0]) == -facing
    if trunk_deg >= 90:
        assert back_px[1] < mid_px[1]


def test_profile_of_an_arc_follows_the_curve():
    """A back bulging as a circular arc: v(u) = sqrt(R^2 - (u - 0.5)^2) - c."""
    radius, c = 1.0, 0.7
    u = np.linspace(-0.2, 1.2, 200)
    back = np.stack([u, np.sqrt(radius**2 - (u - 0.5) ** 2) - c], axis=1)
    front = np.stack([u[::-1], np.full_like(u, -0.2)], axis=1)
    polygon = np.concatenate([back, front])
    levels = np.linspace(0, 1, 9)
    expected = np.sqrt(radius**2 - (levels - 0.5) ** 2) - c
    np.testing.assert_allclose(back_profile(polygon, levels), expected, atol=1e-4)


def test_profile_is_nan_outside_the_outline():
    box = np.array([[0.0, -0.1], [0.0, 0.2], [0.5, 0.2], [0.5, -0.1]])
    out = back_profile(box, np.array([0.25, 0.8]))
    assert out[0] == pytest.approx(0.2) and np.isnan(out[1])
