"""The query deadline under gunicorn: queries run in their request's thread and a watchdog
answers 504 on the connection when the deadline passes, then ends the worker once its
other requests are answered. These tests drive the watchdog in process, with a socket pair
for the connection and recorders for retiring and ending; the live server's runaway test
(tests/test_live_server.py) checks the same under gunicorn."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from alliance_kg.config import Settings
from alliance_kg.web.dataset import (
    DataFile,
    QueryTimeoutError,
    Watchdog,
    answer_on_socket,
    load_files,
)

TOY = "<urn:x:a> <urn:x:p> <urn:x:b> .\n"


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.event = threading.Event()

    def __call__(self, *args) -> None:
        self.calls.append((time.monotonic(), *args))
        self.event.set()


@pytest.fixture
def watched(tmp_path: Path):
    """A dataset whose queries run in the calling thread under a watchdog."""
    path = tmp_path / "toy.nt"
    path.write_text(TOY, encoding="utf-8")
    data = load_files(Settings(build_dir=tmp_path / "unused", query_timeout=0.2), [DataFile(path)])
    retired, ended, replied = Recorder(), Recorder(), Recorder()
    data.watchdog = Watchdog(retired, idle=0.2, end=ended)
    data.connection.reply = replied
    return data, retired, ended, replied


def test_a_query_inside_the_deadline_runs_in_the_calling_thread(watched):
    data, retired, ended, replied = watched
    threads = []

    def work():
        threads.append(threading.current_thread())
        return len(data.store)

    assert data.run(work) == 1
    assert threads == [threading.current_thread()]
    time.sleep(0.3)  # past the deadline the query would have had
    assert not replied.calls and not retired.calls and not ended.calls


def test_a_runaway_query_is_answered_504_at_the_deadline_and_the_worker_ends(watched):
    data, retired, ended, replied = watched
    release = threading.Event()
    raised: list[BaseException] = []

    def runaway() -> None:
        data.connection.reply = replied
        try:
            data.run(release.wait)
        except QueryTimeoutError as err:
            raised.append(err)

    data.watchdog.started()  # another request in flight
    data.watchdog.started()  # the runaway one
    started = time.monotonic()
    thread = threading.Thread(target=runaway)
    thread.start()
    assert replied.event.wait(2)
    message = "query stopped after the 0.2 s limit; narrow the query or add a LIMIT"
    ((answered_at, status, body),) = replied.calls
    assert (status, body) == (504, message)
    assert 0.2 <= answered_at - started < 0.45
    assert len(retired.calls) == 1
    # The worker ends once its other request is answered, the runaway still evaluating.
    assert not ended.event.wait(0.3)
    data.watchdog.finished()
    assert ended.event.wait(2) and thread.is_alive()
    release.set()
    thread.join()
    assert [str(err) for err in raised] == [message]


def test_a_runaway_that_ends_by_itself_leaves_the_exit_to_gunicorn(watched):
    """Once no query is stuck, the retiring worker exits the usual way (gunicorn's own
    graceful stop), so the watchdog does not end it."""
    data, retired, ended, replied = watched
    data.watchdog.started()  # another request in flight, longer than the runaway
    data.watchdog.started()
    with pytest.raises(QueryTimeoutError):
        data.run(lambda: time.sleep(0.4))
    data.watchdog.finished()
    data.watchdog.finished()
    assert len(replied.calls) == 1 and len(retired.calls) == 1
    assert not ended.event.wait(0.3)


def test_a_query_that_raises_is_no_runaway(watched):
    data, retired, ended, replied = watched

    def work():
        raise ValueError("serialisation failed")

    with pytest.raises(ValueError, match="serialisation failed"):
        data.run(work)
    assert data.watchdog.deadlines == {}
    time.sleep(0.3)
    assert not replied.calls and not retired.calls and not ended.calls


def test_many_queries_at_once_keep_their_own_deadlines(watched):
    data, retired, ended, replied = watched
    outcomes: dict[str, str] = {}

    def ask(name: str, seconds: float) -> None:
        data.connection.reply = replied  # each request thread has its connection
        try:
            data.run(lambda: time.sleep(seconds))
            outcomes[name] = "answered"
        except QueryTimeoutError:
            outcomes[name] = "504"

    threads = [threading.Thread(target=ask, args=(f"quick{i}", 0.01 * i)) for i in range(1, 6)] + [
        threading.Thread(target=ask, args=("slow", 0.5))
    ]
    for thread in threads:
        data.watchdog.started()
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == {**{f"quick{i}": "answered" for i in range(1, 6)}, "slow": "504"}
    assert len(replied.calls) == 1 and len(retired.calls) == 1
    assert not ended.calls  # the six requests were never answered as far as it knows


def test_the_504_is_written_on_the_connection_and_closes_it():
    server, client = socket.socketpair()
    with server, client:
        body = b"query stopped after the 2 s limit\n"
        headers = {"Content-Type": "text/plain; charset=utf-8", "Content-Length": str(len(body))}
        answer_on_socket({"gunicorn.socket": server}, "504 Gateway Timeout", headers, body)
        received = b""
        while chunk := client.recv(4096):
            received += chunk
    head, _, rest = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0] == "HTTP/1.1 504 Gateway Timeout"
    assert "Connection: close" in lines and f"Content-Length: {len(body)}" in lines
    assert rest == body
