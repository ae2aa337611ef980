"""The commands of neo4j-local (install, start, stop, kill, status, env) and its argument parser (`main`)."""

from __future__ import annotations

import argparse
import contextlib
import shlex
import signal
import time

from neo4jlocal.common import (
    EXIT_NOT_ANSWERING,
    EXIT_NOT_RUNNING,
    NEO4J_VERSION,
    USER,
    Fail,
    Paths,
    ensure_state_dir,
    file_lock,
    info,
    warn,
)
from neo4jlocal.config import (
    data_is_fresh,
    ensure_ports,
    get_or_create_password,
    load_state,
    read_password,
    write_conf,
)
from neo4jlocal.install import find_java, install
from neo4jlocal.process import (
    launch,
    log_size,
    logs_report,
    query,
    running_pid,
    set_initial_password,
    signal_and_wait,
    wait_answer,
)


def cmd_install(p: Paths, args) -> int:
    ensure_state_dir(p)
    install(p)
    return 0


def cmd_start(p: Paths, args) -> int:
    t0 = time.monotonic()
    ensure_state_dir(p)
    with file_lock(p.lock_file, "start/stop"):
        pid = running_pid(p)
        st = load_state(p)
        password = read_password(p)
        if pid and st and password:
            ok, detail = query(p, st, password)
            if ok:
                info(f"Neo4j already running (pid {pid}) at bolt://127.0.0.1:{st['bolt_port']}, answering queries")
                return 0
            info(f"Neo4j process {pid} is running but not answering yet ({detail}); waiting ...")
            ok, detail = wait_answer(p, st, password, time.monotonic() + args.timeout, None, pid)
            if ok:
                info(f"Neo4j (pid {pid}) answered after {time.monotonic() - t0:.1f} s")
                return 0
            raise Fail(
                f"Neo4j process {pid} is running but does not answer: {detail}\n"
                f"{logs_report(p)}\n"
                f"try: scripts/neo4j-local stop && scripts/neo4j-local start"
            )
        if pid:
            raise Fail(
                f"Neo4j process {pid} is running but the state in {p.state} is incomplete; "
                f"run scripts/neo4j-local stop first"
            )

        java = find_java()
        install(p, quiet=True)
        for d in p.subdirs():
            d.mkdir(parents=True, exist_ok=True)
        st = ensure_ports(p)
        write_conf(p, st)
        fresh = data_is_fresh(p)
        had_password = read_password(p) is not None
        if not fresh and not had_password:
            raise Fail(
                f"{p.data} already holds a database but the password file {p.password} "
                f"is missing; delete {p.data} to start afresh"
            )
        password = get_or_create_password(p)
        if fresh:
            set_initial_password(p, java, password)

        offsets = {"neo4j": log_size(p.logs / "neo4j.log"), "console": log_size(p.console_log)}
        t_launch = time.monotonic()
        proc = launch(p, java)
        info(
            f"Starting Neo4j {NEO4J_VERSION} (pid {proc.pid}, {'fresh' if fresh else 'existing'} data in {p.data}) ..."
        )
        ok, detail = wait_answer(p, st, password, t_launch + args.timeout, proc, proc.pid)
        t_end = time.monotonic()
        if not ok:
            if proc.poll() is None:
                signal_and_wait(proc.pid, p, signal.SIGTERM, 20) or signal_and_wait(proc.pid, p, signal.SIGKILL, 10)
                stopped = " (the half-started server was stopped)"
            else:
                stopped = ""
            with contextlib.suppress(FileNotFoundError):
                p.pid_file.unlink()
            what = (
                f"Neo4j did not start: {detail}"
                if proc.returncode is not None and not stopped
                else f"Neo4j did not answer `RETURN 1`: {detail}"
            )
            raise Fail(f"{what}{stopped}\n{logs_report(p, offsets)}")
        info(
            f"Neo4j {NEO4J_VERSION} ready: bolt://127.0.0.1:{st['bolt_port']}  "
            f"http://127.0.0.1:{st['http_port']}  (pid {proc.pid})"
        )
        info(
            f"Started in {t_end - t0:.1f} s (query answered {t_end - t_launch:.1f} s after the "
            f'JVM launched). Credentials: eval "$(scripts/neo4j-local env)"'
        )
        return 0


def cmd_stop(p: Paths, args) -> int:
    if not p.state.exists():
        info("Neo4j is not running")
        return 0
    with file_lock(p.lock_file, "start/stop"):
        pid = running_pid(p)
        if pid is None:
            info("Neo4j is not running")
            return 0
        t0 = time.monotonic()
        if signal_and_wait(pid, p, signal.SIGTERM, args.timeout):
            info(f"Neo4j stopped (pid {pid}, {time.monotonic() - t0:.1f} s)")
        else:
            warn(f"pid {pid} did not stop within {args.timeout:.0f} s of SIGTERM; sending SIGKILL")
            if not signal_and_wait(pid, p, signal.SIGKILL, 10):
                raise Fail(f"pid {pid} survived SIGKILL")
            info(f"Neo4j killed (pid {pid})")
        with contextlib.suppress(FileNotFoundError):
            p.pid_file.unlink()
    return 0


def cmd_kill(p: Paths, args) -> int:
    # No lock on purpose: fault injection must work even while a start is waiting.
    pid = running_pid(p) if p.state.exists() else None
    if pid is None:
        info("Neo4j is not running")
        return 0
    if not signal_and_wait(pid, p, signal.SIGKILL, 10):
        raise Fail(f"pid {pid} survived SIGKILL")
    with contextlib.suppress(FileNotFoundError):
        p.pid_file.unlink()
    info(f"Neo4j killed with SIGKILL (pid {pid})")
    return 0


def cmd_status(p: Paths, args) -> int:
    pid = running_pid(p) if p.state.exists() else None
    st = load_state(p)
    uri = f"bolt://127.0.0.1:{st['bolt_port']}" if st.get("bolt_port") else "(no port chosen yet)"
    if pid is None:
        info(f"Neo4j {NEO4J_VERSION}: not running  uri {uri}  state {p.state}")
        return EXIT_NOT_RUNNING
    password = read_password(p)
    ok, detail = query(p, st, password or "") if st.get("http_port") else (False, "no http port")
    info(
        f"Neo4j {NEO4J_VERSION}: running  pid {pid}  uri {uri}  "
        f"http http://127.0.0.1:{st.get('http_port')}  "
        f"query: {'answers' if ok else 'no answer (' + detail + ')'}"
    )
    info(f"state {p.state}  logs {p.logs}/neo4j.log, {p.console_log}")
    return 0 if ok else EXIT_NOT_ANSWERING


def cmd_env(p: Paths, args) -> int:
    st = load_state(p)
    password = read_password(p)
    if not st.get("bolt_port") or not password:
        raise Fail(f"no Neo4j instance has been set up in {p.state}; run scripts/neo4j-local start")
    uri = f"bolt://127.0.0.1:{st['bolt_port']}"
    print(f"export NEO4J_URI={shlex.quote(uri)}")
    print(f"export NEO4J_USER={shlex.quote(USER)}")
    print(f"export NEO4J_PASSWORD={shlex.quote(password)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="neo4j-local",
        description=f"Manage a local Neo4j Community {NEO4J_VERSION} server without Docker. "
        "State folder: $PARTNET_NEO4J_HOME (default <repo>/.neo4j); "
        "jar cache: $PARTNET_NEO4J_CACHE (default <state>/lib).",
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("install", help="fetch the server jars with Maven (cached)")
    s = sub.add_parser("start", help="start the server and wait until a query answers")
    s.add_argument(
        "--timeout", type=float, default=120.0, help="seconds to wait for `RETURN 1` to answer (default 120)"
    )
    s = sub.add_parser("stop", help="SIGTERM, SIGKILL after --timeout seconds")
    s.add_argument("--timeout", type=float, default=60.0, help="default 60")
    sub.add_parser("kill", help="SIGKILL the server at once")
    sub.add_parser("status", help="exit 0 answering, 3 not running, 1 running but not answering")
    sub.add_parser("env", help="print export lines for eval (includes the password)")
    args = ap.parse_args(argv)
    p = Paths()
    handler = {
        "install": cmd_install,
        "start": cmd_start,
        "stop": cmd_stop,
        "kill": cmd_kill,
        "status": cmd_status,
        "env": cmd_env,
    }[args.cmd]
    try:
        return handler(p, args)
    except Fail as e:
        warn(f"error: {e}")
        return 1
    except KeyboardInterrupt:
        warn("interrupted")
        return 130
