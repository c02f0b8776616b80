"""Serving the API from several processes, each listening on a socket of its own.

Uvicorn's workers share one listening socket, and the worker that wakes first accepts every
connection waiting: 20 keep-alive clients connecting at once were seen spread 13/7, 18/2
and 20/0 over two workers, and at 20/0 one core served everything while the other idled
(look-up p95 51 ms against 29 ms). Here each worker listens on a socket of its own, all
bound to the one port with ``SO_REUSEPORT``, and the kernel spreads new connections over
them by their addresses. Where the platform has no ``SO_REUSEPORT``, uvicorn's own workers
serve.

Each server process freezes the heap it starts with (``served_app``): its modules, its app
and what they built stay out of every full collection. (The name matcher's caches, which
fill only as the server answers, stay out because their keys are strings:
``names.cache_key``.) Without the freeze, a full collection during the search benchmark
took up to 150 to 180 ms, on top of the search it fell in; with it, at most about 30.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import socket
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

APP = "custodia.api.serving:served_app"
BACKLOG = 2048


def freeze_heap() -> None:
    """Leave every object alive now out of the collector's future work: the modules, and the
    caches whose entries outlive every request. What is garbage now is collected first."""
    gc.collect()
    gc.freeze()


def served_app() -> FastAPI:
    """The API as a server process serves it (uvicorn's factory), its starting heap frozen
    (``freeze_heap``)."""
    from custodia.api.app import create_app

    app = create_app()
    freeze_heap()
    return app


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` sockets listening on ``host``:``port`` (0: a free port, the same for all),
    each to be accepted from by one process. A port something already listens on is an
    error (OSError), as without ``SO_REUSEPORT``: a second server started by mistake does not
    quietly take half the connections."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))  # without SO_REUSEPORT: fails where anyone listens
        port = probe.getsockname()[1]
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            sock.listen(BACKLOG)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _worker(sock: socket.socket, log_level: str, access_log: bool) -> None:
    import uvicorn

    config = uvicorn.Config(APP, factory=True, log_level=log_level, access_log=access_log)
    uvicorn.Server(config).run(sockets=[sock])


def serve(
    host: str, port: int, workers: int, log_level: str = "info", access_log: bool = True
) -> None:
    """Serve the API on ``host``:``port`` from ``workers`` processes until SIGINT or SIGTERM,
    or until one of them stops (then the others are stopped too, for a supervisor to
    restart the service whole)."""
    import uvicorn

    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(
            APP,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            access_log=access_log,
        )
        return
    sockets = listening_sockets(host, port, workers)
    context = multiprocessing.get_context("spawn")
    processes: list[BaseProcess] = [
        context.Process(target=_worker, args=(sock, log_level, access_log)) for sock in sockets
    ]

    signalled: list[int] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        signalled.append(signum)
        _terminate(processes)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for process in processes:
            process.start()
        for sock in sockets:
            sock.close()  # the workers hold their own copies
        ended = wait([p.sentinel for p in processes])
        # a worker that stopped on its own, not because we were told to stop (joined: its
        # sentinel closes a moment before its exit code can be read)
        alone = None if signalled else next(p for p in processes if p.sentinel in ended)
        if alone is not None:
            alone.join()
        _terminate(processes)
        for process in processes:
            process.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if alone is not None:
        raise SystemExit(
            f"an API worker stopped (exit code {alone.exitcode}); the others were stopped too"
        )


def _terminate(processes: list[BaseProcess]) -> None:
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: uvicorn finishes the requests under way
