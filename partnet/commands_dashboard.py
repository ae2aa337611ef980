"""``partnet serve``: run the Streamlit dashboard on a store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

__all__ = ["register", "run_child", "serve_command", "serve_env"]

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"


def serve_command(host: str, port: int) -> list[str]:
    """The dashboard's command line: ``streamlit run`` headless, usage statistics off, bound to ``host:port``.

    It runs through `dashboard.serve`, which first starts warming the network page's caches
    (`dashboard.warmup`) so that a first visit finds them computed or computing.
    """
    return [
        sys.executable, "-m", "dashboard.serve", str(APP),
        "--server.headless", "true",
        "--server.address", host,
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        "--global.developmentMode", "false",
        "--client.toolbarMode", "minimal",
        "--server.maxUploadSize", str(max(1, _upload_limit_mb())),
    ]


def _upload_limit_mb() -> int:
    from dashboard.limits import MAX_UPLOAD_MB

    return MAX_UPLOAD_MB


def serve_env(store_kind: str | None, db_path: str | None, read_only: bool) -> dict[str, str]:
    """The environment the dashboard process gets: the store choice as ``PARTNET_*`` variables."""
    env = dict(os.environ)
    if store_kind:
        env["PARTNET_STORE"] = store_kind
    if db_path:
        env["PARTNET_DB"] = str(Path(db_path).expanduser().resolve())
    if read_only:
        env["PARTNET_READ_ONLY"] = "1"
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    return env


def register(cli: click.Group) -> None:
    """Add ``serve`` to the ``partnet`` command group."""
    from partnet.cli import friendly_errors, store_options

    @cli.command("serve")
    @store_options
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
    @click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535), help="Port.")
    @click.option("--read-only", is_flag=True, default=False,
                  help="Hide upload and ingest, and open the store read-only (also PARTNET_READ_ONLY=1).")
    @friendly_errors
    def serve(store_kind: str | None, db_path: str | None, host: str, port: int, read_only: bool) -> None:
        """Open the dashboard on the store: http://HOST:PORT (Ctrl-C or SIGTERM stops it).

        The store is the one `partnet store info` describes (--store/--db, else PARTNET_STORE and
        PARTNET_DB); nothing is fetched from the internet.
        """
        from graph.config import store_kind as resolve_kind

        env = serve_env(resolve_kind(store_kind), db_path, read_only)
        click.echo(f"partnet dashboard on http://{host}:{port} (Ctrl-C to stop)", err=True)
        sys.exit(run_child(serve_command(host, port), env))


def run_child(cmd: list[str], env: dict[str, str], grace: float = 10.0) -> int:
    """Run the dashboard process ``cmd`` until it ends; SIGTERM, SIGHUP and Ctrl-C stop it too.

    The signal is passed on to the child (SIGTERM), which gets ``grace`` seconds to close its
    port before it is killed; so ``kill PID`` on ``partnet serve`` leaves no dashboard running
    and frees the port. Returns the exit code to leave with (0 after a stop asked for).
    """
    child = subprocess.Popen(cmd, env=env)
    stopping: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)
        if child.poll() is None:
            child.terminate()

    old = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    deadline = None
    try:
        while True:
            try:
                code = child.wait(timeout=0.5)
                break
            except KeyboardInterrupt:
                stop(signal.SIGINT, None)
            except subprocess.TimeoutExpired:
                if stopping:
                    deadline = deadline or time.monotonic() + grace
                    if time.monotonic() > deadline:
                        child.kill()
                        code = child.wait()
                        break
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
    return 0 if stopping else code
