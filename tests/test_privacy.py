"""Client videos are health data: an analysis makes no network attempt at all.

The whole `analyze` command (pose inference included, no cache, and the headless Chromium
that prints the PDF) runs under ``strace``, which records every socket, connect, send and
write system call of the process and all its threads and children. Any attempt to reach
another machine (a DNS lookup is a UDP send to port 53) fails the test. MediaPipe releases
from 0.10.35 on look up play.googleapis.com during a pose run; this is the test that keeps the
pinned release honest.

One call is not an attempt: ``connect`` on a UDP socket sends nothing (it only asks the
kernel for a route). Chromium does this to learn whether IPv6 is routable, then closes the
socket; such a socket counts only if anything is written or sent on it.
"""

import re
import shutil
import subprocess
import sys

import pytest
from conftest import SAMPLE_VIDEOS

# A socket call with an Internet address family: an attempt to leave the machine.
INTERNET = re.compile(r"(connect|sendto|sendmsg)\(.*(AF_INET6?|sin6?_port|htons\(53\))")
UDP_SOCKET = re.compile(
    r"^(\d+)\s+socket\(AF_INET6?, SOCK_DGRAM.*?(?:\)\s*=\s*(\d+)|<unfinished \.\.\.>)$"
)
RESUMED_SOCKET = re.compile(r"^(\d+)\s+<\.\.\. socket resumed>.*= (\d+)$")
TRACED = "execve,socket,connect,sendto,sendmsg,sendmmsg,write,close,clone,clone3"
# strace splits a call that another thread interrupts: "close(18 <unfinished ...>".
CALL_ON_FD = re.compile(r"^(\d+)\s+(connect|write|send\w*|close)\((\d+)(?:[,)]|\s+<unfinished)")
CLONE = re.compile(r"^(\d+)\s+clone3?\(.*?(?:\)\s*=\s*(\d+)|<unfinished \.\.\.>)$")
RESUMED_CLONE = re.compile(r"^(\d+)\s+<\.\.\. clone3? resumed>.*= (\d+)$")


def network_attempts(lines: list[str]) -> list[str]:
    """The lines of an ``strace -f`` log that reach for another machine: every Internet
    send, every Internet connect on a stream socket, and a connect on a UDP socket only when
    that process then writes or sends on it before closing it.

    ``strace -f`` names threads, not processes, and the threads of one process share their
    file descriptors (a socket made in one thread may be closed in another): a descriptor
    is keyed by the thread that owns its table, followed through ``clone`` with
    ``CLONE_FILES``.
    """
    table_of: dict[str, str] = {}  # thread -> the thread whose descriptor table it shares
    shares_table: dict[str, bool] = {}  # threads whose clone strace split in two
    udp: set[tuple[str, str]] = set()
    unfinished: set[str] = set()  # threads whose UDP socket call strace split in two
    probes: dict[tuple[str, str], str] = {}
    attempts = []

    def owner(thread: str) -> str:
        return table_of.get(thread, thread)

    def cloned(parent: str, child: str, shares: bool) -> None:
        if shares:
            table_of[child] = owner(parent)

    for line in lines:
        if made := CLONE.match(line):
            shares = "CLONE_FILES" in line
            if made.group(2) is None:
                shares_table[made.group(1)] = shares
            else:
                cloned(made.group(1), made.group(2), shares)
            continue
        if (resumed := RESUMED_CLONE.match(line)) and resumed.group(1) in shares_table:
            cloned(resumed.group(1), resumed.group(2), shares_table.pop(resumed.group(1)))
            continue
        if made := UDP_SOCKET.match(line):
            if made.group(2) is None:
                unfinished.add(made.group(1))
            else:
                udp.add((owner(made.group(1)), made.group(2)))
            continue
        if (resumed := RESUMED_SOCKET.match(line)) and resumed.group(1) in unfinished:
            unfinished.discard(resumed.group(1))
            udp.add((owner(resumed.group(1)), resumed.group(2)))
            continue
        call = CALL_ON_FD.match(line)
        key = (owner(call.group(1)), call.group(3)) if call else None
        if call and call.group(2) == "close":
            udp.discard(key)
            probes.pop(key, None)
        elif call and call.group(2) == "connect" and key in udp and INTERNET.search(line):
            probes[key] = line
        elif call and key in probes:  # something written or sent after the route lookup
            attempts.append(probes.pop(key))
        elif INTERNET.search(line):
            attempts.append(line)
    return attempts


@pytest.mark.slow
def test_an_analysis_makes_no_network_attempt(tmp_path):
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (make setup installs it where apt-get exists)")
    log = tmp_path / "network.log"
    result = subprocess.run(
        [
            strace,
            "-f",
            "-qq",
            "-e",
            f"trace={TRACED}",
            "-o",
            str(log),
            sys.executable,
            "-m",
            "lumbopelvic",
            "analyze",
            str(SAMPLE_VIDEOS / "typical.mp4"),
            "-o",
            str(tmp_path / "out"),
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0 and "ptrace" in result.stderr:
        pytest.skip(f"strace cannot trace here: {result.stderr.strip().splitlines()[-1]}")
    assert result.returncode == 0, result.stderr
    calls = log.read_text()
    assert "execve(" in calls  # the trace followed the analysis
    attempts = network_attempts(calls.splitlines())
    assert not attempts, "\n".join(attempts[:5])
    assert (tmp_path / "out" / "report.html").is_file()


def test_the_pattern_catches_internet_calls_and_ignores_local_ones():
    """Lines as strace wrote them for mediapipe 1.2.3, which looked up play.googleapis.com."""
    dns = (
        "connect(9, {sa_family=AF_INET, sin_port=htons(53), "
        'sin_addr=inet_addr("10.255.255.53")}, 16) = 0'
    )
    https = (
        "connect(11, {sa_family=AF_INET6, sin6_port=htons(443), "
        'sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1")}, 28) = -1'
    )
    local = 'connect(9, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1'
    assert INTERNET.search(dns) and INTERNET.search(https)
    assert not INTERNET.search(local)


def test_a_udp_route_lookup_is_not_an_attempt_but_a_send_on_it_is():
    """Lines as strace wrote them for Chromium 156's IPv6 reachability check."""
    made = "7 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 18"
    probe = (
        "7 connect(18, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
        'inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) '
        "= 0"
    )
    assert network_attempts([made, probe, "7 close(18) = 0"]) == []
    assert network_attempts([made, probe, '7 write(18, "x", 1) = 1']) == [probe]
    tcp = probe.replace("7 connect", "8 connect")  # no UDP socket made by process 8
    assert network_attempts([made, tcp]) == [tcp]
    split = [
        "7 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP <unfinished ...>",
        "7 <... socket resumed>) = 18",
        probe.replace(" = 0", " <unfinished ...>"),
        "7 close(18) = 0",
    ]
    assert network_attempts(split) == []
    padded = [line.replace("7 ", "7  ", 1) for line in (made, probe, "7 close(18) = 0")]
    assert network_attempts(padded) == []  # strace pads short process ids
    interrupted = [made, probe, "7 close(18 <unfinished ...>", "7 <... close resumed>) = 0"]
    assert network_attempts([*interrupted, '7 write(18, "x", 1) = 1']) == []


def test_a_socket_closed_by_another_thread_of_the_process_is_closed():
    """Threads share their descriptors: fd 18 closed by thread 9, then reused by thread 7."""
    spawn = (
        "7 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, "
        "child_tid=0x7f, parent_tid=0x7f, exit_signal=0}, 88) = 9"
    )
    made = "7 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 18"
    probe = (
        "7 connect(18, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
        'inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) '
        "= 0"
    )
    reused = '7 write(18, "x", 1) = 1'
    assert network_attempts([spawn, made, probe, "9 close(18) = 0", reused]) == []
    child = spawn.replace("CLONE_FILES|", "").replace("= 9", "= 10")  # its own table
    assert network_attempts([child, made, probe, "10 close(18) = 0", reused]) == [probe]
