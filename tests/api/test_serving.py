"""Several API processes, each listening on a socket of its own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from custodia.api.serving import listening_sockets
from tests.clirun import run_cli

CLI = "from custodia.cli import main; main()"

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="no SO_REUSEPORT")


def test_connections_arriving_at_once_are_spread_over_the_workers_sockets() -> None:
    sockets = listening_sockets("127.0.0.1", 0, 2)
    port = sockets[0].getsockname()[1]
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
    try:
        accepted = []
        for sock in sockets:
            sock.setblocking(False)
            count = 0
            while True:
                try:
                    conn, _ = sock.accept()
                except BlockingIOError:
                    break
                conn.close()
                count += 1
            accepted.append(count)
        ports = {sock.getsockname()[1] for sock in sockets}
    finally:
        for sock in [*clients, *sockets]:
            sock.close()

    assert ports == {port}
    assert sum(accepted) == 40
    # the kernel spreads them by address; one socket taking all 40 has odds of 2 in 2^40
    assert all(count > 0 for count in accepted), accepted


def test_a_port_something_listens_on_is_refused_not_shared() -> None:
    first = listening_sockets("127.0.0.1", 0, 2)
    try:
        with pytest.raises(OSError):
            listening_sockets("127.0.0.1", first[0].getsockname()[1], 2)
    finally:
        for sock in first:
            sock.close()


def test_serve_with_two_workers_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    url = f"sqlite:///{tmp_path / 'custodia.db'}"
    assert run_cli(tmp_path, "db", "upgrade", database_url=url).returncode == 0
    env = {**os.environ, "CUSTODIA_DATABASE_URL": url, "CUSTODIA_DATA_DIR": str(tmp_path / "data")}
    server = subprocess.Popen(  # noqa: S603 -- our own interpreter and CLI
        [sys.executable, "-c", CLI, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        answers = _health(port, deadline=time.monotonic() + 60)
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    finally:
        server.kill()
    assert answers == {"status": "ok", "ledger_size": 0}
    assert code == 0


def _health(port: int, deadline: float) -> object:
    while time.monotonic() < deadline:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer /health")


def test_a_worker_that_stops_on_its_own_stops_the_others_and_the_command_fails(
    tmp_path: Path,
) -> None:
    # past the command's own check of the URL, as a worker that fails at start-up would
    serve = "from custodia.api.serving import serve; serve('127.0.0.1', 0, 2)"
    env = {
        **os.environ,
        "CUSTODIA_DATABASE_URL": "nosuchdb://x",
        "CUSTODIA_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603 -- our own interpreter
        [sys.executable, "-c", serve], env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "an API worker stopped (exit code 1); the others were stopped too"
    )


def test_a_served_app_answers_and_leaves_its_starting_heap_out_of_collections(
    tmp_path: Path,
) -> None:
    # in a process of its own: a frozen heap is the whole process's
    url = f"sqlite:///{tmp_path / 'custodia.db'}"
    assert run_cli(tmp_path, "db", "upgrade", database_url=url).returncode == 0
    script = (
        "import gc\n"
        "from fastapi.testclient import TestClient\n"
        "from custodia.api.serving import served_app\n"
        "app = served_app()\n"
        "frozen = gc.get_freeze_count()\n"
        "print(frozen, TestClient(app).get('/health').json()['status'])\n"
    )
    env = {**os.environ, "CUSTODIA_DATABASE_URL": url, "CUSTODIA_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(  # noqa: S603 -- our own interpreter
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    frozen, status = result.stdout.split()
    assert status == "ok"
    # the modules and their caches: tens of thousands of objects, none walked again
    assert int(frozen) > 10_000
