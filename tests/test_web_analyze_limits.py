"""The analyze page of a running server is bounded: a size cap, one analysis at a time in a worker
process with a time limit, work stopped when the client leaves, story pages answering meanwhile,
and a clean stop on SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

from test_web import _free_port, _wait_for
from test_web_store import build_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
TIME_LIMIT = 2  # seconds; what the servers below allow one analysis
MAX_CHARS = 20_000


def article_near_the_cap() -> str:
    """Real sentences from the fixture articles, distinct lines, just under the size cap."""
    lines = [line for name in ("grain-corridor.txt",) for line in (FIXTURES / name).read_text().splitlines() if line]
    out, number = [], 0
    while sum(len(x) + 1 for x in out) < MAX_CHARS - 400:
        number += 1
        out.append(f"{lines[number % len(lines)]} ({number})")
    return "\n".join(out)


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "readouts.cli", "serve", "--db", str(db), "--port", str(port),
         "--analyze-seconds", str(TIME_LIMIT), "--analyze-max-chars", str(MAX_CHARS)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return server, f"http://127.0.0.1:{port}"


def analysis_workers(server: subprocess.Popen) -> list[psutil.Process]:
    return [c for c in psutil.Process(server.pid).children()
            if "spawn_main" in " ".join(c.cmdline()) and "resource_tracker" not in " ".join(c.cmdline())]


def wait_for_workers(server, count=1, seconds=60.0) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = analysis_workers(server)
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError("no analysis worker started")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db = tmp_path_factory.mktemp("served") / "served.db"
    stories = build_corpus(db)
    server, base = start_server(db)
    try:
        _wait_for(f"{base}/api/stories")
        yield server, base, stories
    finally:
        server.kill()
        server.wait(timeout=10)


def test_a_large_post_is_refused_before_any_work(site):
    server, base, _ = site
    started = set(w.pid for w in analysis_workers(server))
    response = httpx.post(f"{base}/analyze", data={"text": "The minister said talks went on. " * 27_000}, timeout=30)
    assert response.status_code == 413
    assert f"at most {MAX_CHARS:,}" in response.text
    assert set(w.pid for w in analysis_workers(server)) == started  # nothing was handed to a worker


def test_a_slow_analysis_is_stopped_at_the_limit_while_story_pages_answer(site):
    server, base, stories = site
    result = {}

    def post() -> None:
        result["response"] = httpx.post(f"{base}/analyze", data={"text": article_near_the_cap()}, timeout=60)

    poster = threading.Thread(target=post)
    poster.start()
    [busy] = wait_for_workers(server)
    pages = [httpx.get(f"{base}/stories/{stories['talks']}", timeout=30) for _ in range(3)]
    analysis_still_running = poster.is_alive()
    poster.join(timeout=60)
    assert [p.status_code for p in pages] == [200, 200, 200] and analysis_still_running
    assert result["response"].status_code == 503
    assert f"longer than {TIME_LIMIT} seconds" in result["response"].text
    assert not busy.is_running() or busy.status() == psutil.STATUS_ZOMBIE  # its work was stopped
    assert len(wait_for_workers(server)) == 1  # and a fresh worker took its place: one at a time


def test_work_is_abandoned_when_the_client_leaves(site):
    server, base, _ = site
    before = {w.pid for w in wait_for_workers(server)}
    body = httpx.QueryParams({"text": article_near_the_cap()}).__str__().encode()
    host, port = base.rsplit("/", 1)[-1].split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(b"POST /analyze HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        time.sleep(0.5)  # the analysis has been handed to the worker
    deadline = time.monotonic() + TIME_LIMIT / 2  # well before the time limit would stop it
    gone = False
    while time.monotonic() < deadline and not gone:
        gone = not before & {w.pid for w in analysis_workers(server)}
        time.sleep(0.05)
    assert gone  # stopped on the client's leaving, before the time limit would have stopped it


def test_a_worker_that_dies_on_its_own_is_a_page_not_a_crash(site):
    server, base, _ = site
    result = {}
    poster = threading.Thread(target=lambda: result.update(
        response=httpx.post(f"{base}/analyze", data={"text": article_near_the_cap()}, timeout=60)))
    before = {w.pid for w in wait_for_workers(server)}
    poster.start()
    time.sleep(0.3)  # the analysis is with the worker
    for worker in analysis_workers(server):
        if worker.pid in before:
            worker.kill()  # as the kernel does when memory runs out
    poster.join(timeout=60)
    assert result["response"].status_code == 500
    assert "stopped unexpectedly" in result["response"].text
    assert httpx.get(f"{base}/api/stories", timeout=30).status_code == 200
    assert len(wait_for_workers(server)) == 1 and not before & {w.pid for w in analysis_workers(server)}


def test_sigterm_stops_the_server_and_its_workers_during_an_analysis(tmp_path):
    db = tmp_path / "stop.db"
    build_corpus(db)
    server, base = start_server(db)
    try:
        _wait_for(f"{base}/api/stories")
        poster = threading.Thread(target=lambda: _post_quietly(base), daemon=True)
        poster.start()
        workers = wait_for_workers(server)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        _, alive = psutil.wait_procs(workers, timeout=5)
        assert not alive
    finally:
        if server.poll() is None:
            server.kill()
    assert "Traceback" not in server.stderr.read()


def _post_quietly(base: str) -> None:
    try:
        httpx.post(f"{base}/analyze", data={"text": article_near_the_cap()}, timeout=60)
    except httpx.HTTPError:
        pass  # the server went away: that is the point
