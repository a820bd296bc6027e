"""Following one person, and noticing others: the look-out's decisions, with stand-in models."""

from dataclasses import dataclass, field

import pytest

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.pose.mediapipe.people_watch import SINGLE_AGAIN_S, PeopleWatch
from lumbopelvic.pose.settings import PoseSettings


@dataclass
class Result:
    pose_landmarks: list


@dataclass
class StandIn:
    """A landmarker that sees ``scene(time_s)`` people, at most ``people`` of them."""

    people: int
    video: bool
    scene: object
    log: list = field(default_factory=list)
    closed: bool = False

    def detect_for_video(self, image, timestamp_ms):
        self.log.append(("video", self.people, timestamp_ms))
        return Result([object()] * min(self.people, self.scene(timestamp_ms / 1000)))

    def detect(self, image):
        self.log.append(("look", self.people))
        return Result([object()] * min(self.people, self.scene(image)))

    def close(self):
        self.closed = True


def watch_over(scene, settings, seconds=10.0, fps=30):
    made, log = [], []

    def create(people, video):
        made.append(StandIn(people, video, scene, log))
        return made[-1]

    followed = []
    with PeopleWatch(create, settings) as watch:
        for i in range(int(seconds * fps)):
            time_s = i / fps
            # The stand-in's look is given the time as its image.
            found = watch.detect(time_s, round(time_s * 1000), time_s)
            followed.append((time_s, watch._people, len(found.pose_landmarks)))
    assert all(m.closed for m in made)
    return watch, followed, log


def test_one_person_is_followed_alone_and_looked_for_others_once_a_second():
    watch, followed, log = watch_over(lambda t: 1, PoseSettings(), seconds=10)
    assert {people for _, people, _ in followed} == {1}
    assert watch.checks == 10 and watch.switches == [(0.0, 1)]
    assert sum(1 for entry in log if entry[0] == "look") == 10


def test_a_second_person_switches_to_following_several_then_back():
    def scene(t):
        return 2 if 3.0 <= t < 5.0 else 1

    watch, followed, _ = watch_over(scene, PoseSettings(max_people=2), seconds=12)
    modes = dict((round(t, 2), people) for t, people, _ in followed)
    assert modes[2.9] == 1
    assert modes[3.0] == 2  # the look at 3.0 s saw two people: that frame already has both
    assert modes[4.9] == 2
    # Alone again from 5 s: several are followed until SINGLE_AGAIN_S have passed.
    assert modes[round(5.0 + SINGLE_AGAIN_S + 0.1, 2)] == 1
    assert [people for _, people in watch.switches] == [1, 2, 1]
    seen_two = [n for t, _, n in followed if 3.0 <= t < 5.0]
    assert min(seen_two) == 2  # every frame with two people in view reports both


def test_max_people_one_never_looks_and_zero_interval_always_follows_all():
    watch, followed, _ = watch_over(lambda t: 2, PoseSettings(max_people=1), seconds=3)
    assert watch.checks == 0 and {p for _, p, _ in followed} == {1}
    watch, followed, _ = watch_over(lambda t: 1, PoseSettings(people_check_s=0), seconds=3)
    assert watch.checks == 0 and {p for _, p, _ in followed} == {2}


def test_a_negative_interval_is_refused():
    with pytest.raises(LumbopelvicError, match="people_check_s"):
        PoseSettings(people_check_s=-1)
