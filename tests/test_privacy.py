"""Client videos are health data: an analysis makes no network attempt at all.

The whole `analyze` command (pose inference included, no cache) runs under ``strace``, which
records every connect and send system call of the process and all its threads and children.
Any attempt to reach another machine (a DNS lookup is a UDP send to port 53) fails the test.
MediaPipe releases from 0.10.35 on look up play.googleapis.com during a pose run; this is the
test that keeps the pinned release honest.
"""

import re
import shutil
import subprocess
import sys

import pytest
from conftest import SAMPLE_VIDEOS

# A socket call with an Internet address family: an attempt to leave the machine.
INTERNET = re.compile(r"(connect|sendto|sendmsg)\(.*(AF_INET6?|sin6?_port|htons\(53\))")


@pytest.mark.slow
def test_an_analysis_makes_no_network_attempt(tmp_path):
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (make setup installs it where apt-get exists)")
    log = tmp_path / "network.log"
    result = subprocess.run(
        [strace, "-f", "-qq", "-e", "trace=execve,connect,sendto,sendmsg", "-o", str(log),
         sys.executable, "-m", "lumbopelvic", "analyze", str(SAMPLE_VIDEOS / "typical.mp4"),
         "-o", str(tmp_path / "out"), "--no-cache"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if result.returncode != 0 and "ptrace" in result.stderr:
        pytest.skip(f"strace cannot trace here: {result.stderr.strip().splitlines()[-1]}")
    assert result.returncode == 0, result.stderr
    calls = log.read_text()
    assert "execve(" in calls  # the trace followed the analysis
    attempts = [line for line in calls.splitlines() if INTERNET.search(line)]
    assert not attempts, "\n".join(attempts[:5])
    assert (tmp_path / "out" / "report.html").is_file()


def test_the_pattern_catches_internet_calls_and_ignores_local_ones():
    """Lines as strace wrote them for mediapipe 1.2.3, which looked up play.googleapis.com."""
    dns = ('connect(9, {sa_family=AF_INET, sin_port=htons(53), '
           'sin_addr=inet_addr("10.255.255.53")}, 16) = 0')  # fmt: skip
    https = ('connect(11, {sa_family=AF_INET6, sin6_port=htons(443), '
             'sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1")}, 28) = -1')  # fmt: skip
    local = 'connect(9, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1'
    assert INTERNET.search(dns) and INTERNET.search(https)
    assert not INTERNET.search(local)
