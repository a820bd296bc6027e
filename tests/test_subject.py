import numpy as np

from lumbopelvic.kinematics.person_tracks import box_iou
from lumbopelvic.pose.subject import SubjectTracker, landmark_box, prominence


def test_landmark_box_ignores_nan():
    xy = np.array([[10.0, 20.0], [np.nan, np.nan], [30.0, 5.0]])
    np.testing.assert_array_equal(landmark_box(xy), [10, 5, 30, 20])


def test_iou():
    a = np.array([0, 0, 10, 10.0])
    assert box_iou(a, a) == 1.0
    assert box_iou(a, np.array([20, 20, 30, 30.0])) == 0.0
    assert abs(box_iou(a, np.array([5, 0, 15, 10.0])) - 1 / 3) < 1e-9


def test_prominence_prefers_large_and_central():
    size = (1000, 1000)
    central_big = np.array([300, 200, 700, 900.0])
    edge_big = np.array([0, 200, 400, 900.0])
    central_small = np.array([450, 450, 550, 550.0])
    assert prominence(central_big, size) > prominence(edge_big, size)
    assert prominence(central_big, size) > prominence(central_small, size)


def test_tracker_follows_the_chosen_person_even_when_another_becomes_larger():
    tracker = SubjectTracker((1000, 1000))
    subject = np.array([400, 200, 600, 900.0])
    bystander = np.array([0, 500, 100, 700.0])
    assert tracker.choose([bystander, subject]) == 1
    # The bystander walks up and becomes bigger and more central; the subject moves a little.
    for step in range(10):
        subject = subject + np.array([5, 0, 5, 0])
        bystander = np.array([200 + 20 * step, 100, 650 + 20 * step, 990.0])
        order = [subject, bystander] if step % 2 else [bystander, subject]
        chosen = tracker.choose(order)
        np.testing.assert_array_equal(order[chosen], subject)
    assert tracker.choose([]) is None


def test_track_labels_split_on_jumps_and_long_gaps():
    from lumbopelvic.kinematics.person_tracks import main_track, track_labels

    t = np.arange(12) / 10
    a, b = np.array([100, 100, 200, 400.0]), np.array([600, 100, 700, 400.0])
    nobody = np.full(4, np.nan)
    boxes = np.array([a, a + 5, a + 10, nobody, a + 12, b, b, b, nobody, nobody, nobody, nobody])
    boxes[11] = b  # after a 0.4 s gap: same track continues
    labels = track_labels(boxes, t, max_gap_s=0.5)
    np.testing.assert_array_equal(labels, [0, 0, 0, -1, 0, 1, 1, 1, -1, -1, -1, 1])
    assert main_track(labels) == 0
    assert main_track(np.full(3, -1)) is None
