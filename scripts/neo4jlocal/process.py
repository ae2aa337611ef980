"""The server process: launching the JVM, finding and signalling it by its pid, asking it ``RETURN 1``
over HTTP until it answers, and reporting its logs."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from neo4jlocal.common import ADMIN_TOOL, DATABASE, ENTRY_POINT, USER, Fail, Paths
from neo4jlocal.config import HEAP_INITIAL, _megabytes, memory_settings

JVM_OPTS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
]


def neo4j_env(p: Paths) -> dict[str, str]:
    env = dict(os.environ)
    env["NEO4J_HOME"] = str(p.home)
    env["NEO4J_CONF"] = str(p.conf_dir)
    return env


def classpath(p: Paths) -> str:
    return str(p.lib / "*")


# --------------------------------------------------------------------------- process


def read_pid(p: Paths) -> int | None:
    try:
        return int(p.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def pid_is_ours(pid: int, p: Paths) -> bool:
    """Alive (not a zombie) and really our JVM (guards against a recycled pid)."""
    proc = Path(f"/proc/{pid}")
    if proc.exists():
        try:
            status = (proc / "status").read_text()
            if re.search(r"^State:\s+Z", status, re.M):
                return False
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        args = [c.decode(errors="replace") for c in cmd]
        return ENTRY_POINT in args and f"--home-dir={p.home}" in args
    if not Path("/proc/self").exists():  # no procfs (e.g. macOS): best effort
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
    return False


def running_pid(p: Paths) -> int | None:
    pid = read_pid(p)
    if pid is None:
        return None
    if pid_is_ours(pid, p):
        return pid
    with contextlib.suppress(FileNotFoundError):
        p.pid_file.unlink()  # stale
    return None


def query(p: Paths, st: dict, password: str, statement: str = "RETURN 1", timeout: float = 5.0) -> tuple[bool, str]:
    """POST a statement to the HTTP transactional endpoint. (ok, detail)."""
    url = f"http://127.0.0.1:{st['http_port']}/db/{DATABASE}/tx/commit"
    body = json.dumps({"statements": [{"statement": statement}]}).encode()
    auth = base64.b64encode(f"{USER}:{password}".encode()).decode()
    req = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", "Authorization": f"Basic {auth}"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            doc = json.loads(r.read().decode())
    except urllib.error.HTTPError as e:
        detail = e.read().decode(errors="replace")[:300]
        return False, f"HTTP {e.code}: {detail}"
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        return False, f"{type(reason).__name__}: {reason}"
    if doc.get("errors"):
        err = doc["errors"][0]
        return False, f"{err.get('code')}: {err.get('message')}"
    try:
        row = doc["results"][0]["data"][0]["row"]
    except (KeyError, IndexError, TypeError):
        return False, f"unexpected answer: {str(doc)[:300]}"
    return (row == [1] if statement == "RETURN 1" else True), f"row {row}"


def is_auth_failure(detail: str) -> bool:
    return detail.startswith("HTTP 401") or "Security.Unauthorized" in detail or "AuthenticationRateLimit" in detail


def log_tail(path: Path, n: int = 25, offset: int = 0) -> str:
    """Last n lines of path, only counting what was written after byte offset."""
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            text = fh.read().decode(errors="replace")
    except OSError:
        return "  (no log file)"
    lines = [ln for ln in text.splitlines() if any(c.isprintable() and not c.isspace() for c in ln)]
    if not lines:
        return "  (nothing written by this start)" if offset else "  (log file is empty)"
    return "\n".join("  | " + ln for ln in lines[-n:])


def log_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def logs_report(p: Paths, offsets: dict[str, int] | None = None) -> str:
    """Neo4j writes its own user log to logs/neo4j.log; the JVM's stdout/stderr (crashes,
    bad options, OutOfMemoryError) land in logs/console.log. Show both (this start only)."""
    offsets = offsets or {}
    user_log = p.logs / "neo4j.log"
    out = [f"log file {user_log} (last lines):\n{log_tail(user_log, offset=offsets.get('neo4j', 0))}"]
    console = [
        ln
        for ln in log_tail(p.console_log, 15, offsets.get("console", 0)).splitlines()
        if "==== neo4j-local start" not in ln and "(nothing written" not in ln
    ]
    if console:
        out.append(f"log file {p.console_log} (JVM stdout/stderr, last lines):\n" + "\n".join(console))
    out.append(f"more detail in {p.logs / 'debug.log'}")
    return "\n".join(out)


def set_initial_password(p: Paths, java: str, password: str) -> None:
    cmd = [java, "-Xmx256m", "-cp", classpath(p), ADMIN_TOOL, "dbms", "set-initial-password", password]
    r = subprocess.run(cmd, env=neo4j_env(p), capture_output=True, text=True, cwd=p.home)
    if r.returncode != 0:
        out = (r.stdout + r.stderr).replace(password, "<password>")
        raise Fail(f"`neo4j-admin dbms set-initial-password` failed (exit {r.returncode}):\n{out}")


def launch(p: Paths, java: str) -> subprocess.Popen:
    heap, _ = memory_settings()
    heap_initial = min(heap, HEAP_INITIAL, key=_megabytes)
    cmd = [java, f"-Xms{heap_initial}", f"-Xmx{heap}", *JVM_OPTS, "-cp", classpath(p), ENTRY_POINT,
           f"--home-dir={p.home}", f"--config-dir={p.conf_dir}"]
    with open(p.console_log, "ab") as log:
        log.write(f"\n==== neo4j-local start {time.strftime('%Y-%m-%d %H:%M:%S')} ====\n".encode())
        log.flush()
        proc = subprocess.Popen(
            cmd,
            cwd=p.home,
            env=neo4j_env(p),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    p.pid_file.write_text(f"{proc.pid}\n")
    return proc


def wait_answer(
    p: Paths, st: dict, password: str, deadline: float, proc: subprocess.Popen | None, pid: int
) -> tuple[bool, str]:
    detail = "no attempt"
    delay = 0.2  # a refused connection costs microseconds: poll often, the caller is waiting
    start = time.monotonic()
    while True:
        if proc is not None and proc.poll() is not None:
            return False, f"the JVM exited with status {proc.returncode} before answering"
        if proc is None and not pid_is_ours(pid, p):
            return False, "the server process is gone"
        ok, detail = query(p, st, password, timeout=max(1.0, min(5.0, deadline - time.monotonic())))
        if ok:
            return True, detail
        if is_auth_failure(detail):
            return False, (
                f"the server rejected the password in {p.password} ({detail}); "
                f"the data folder {p.data} was initialised with another password"
            )
        if time.monotonic() >= deadline:
            return False, (f"no answer within {deadline - start:.0f} s (--timeout); last attempt: {detail}")
        time.sleep(delay)


def signal_and_wait(pid: int, p: Paths, sig: int, wait: float) -> bool:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
    end = time.monotonic() + wait
    while time.monotonic() < end:
        if not pid_is_ours(pid, p):
            return True
        time.sleep(0.2)
    return not pid_is_ours(pid, p)

