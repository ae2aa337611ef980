"""Installing Neo4j: finding Java and Maven, and fetching the server jars from Maven Central into the
jar cache (``$PARTNET_NEO4J_CACHE``, default <state>/lib; one folder per version, filled atomically)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from neo4jlocal.common import ARTIFACTS, MIN_JAVA, NEO4J_VERSION, Fail, Paths, file_lock, info

# --------------------------------------------------------------------------- tools


def find_java() -> str:
    java = None
    jh = os.environ.get("JAVA_HOME")
    if jh and (Path(jh) / "bin" / "java").is_file():
        java = str(Path(jh) / "bin" / "java")
    if java is None:
        java = shutil.which("java")
    if java is None:
        raise Fail(
            f"java not found (neither $JAVA_HOME/bin/java nor `java` on PATH).\n"
            f"Neo4j {NEO4J_VERSION} needs Java {MIN_JAVA} or 21, e.g.:\n"
            f"  apt-get install -y openjdk-17-jre-headless"
        )
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
        m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    except (OSError, subprocess.SubprocessError) as e:
        raise Fail(f"could not run {java} -version: {e}") from e
    if m:
        major = int(m.group(1))
        if major == 1 and m.group(2):
            major = int(m.group(2))
        if major < MIN_JAVA:
            raise Fail(
                f"{java} is Java {major}; Neo4j {NEO4J_VERSION} needs Java {MIN_JAVA} or 21 "
                f"(apt-get install -y openjdk-17-jre-headless, or set JAVA_HOME)"
            )
    return java


def find_mvn() -> str:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Fail(
            "mvn (Apache Maven) not found on PATH; it is needed once to fetch the Neo4j jars "
            "from Maven Central, e.g.:\n  apt-get install -y maven"
        )
    return mvn


# --------------------------------------------------------------------------- install


def cache_complete(p: Paths) -> bool:
    try:
        meta = json.loads(p.marker.read_text())
    except (OSError, ValueError):
        return False
    jars = meta.get("jars") or []
    if meta.get("version") != NEO4J_VERSION or not jars:
        return False
    return all((p.lib / j).is_file() for j in jars)


POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.partnet</groupId>
  <artifactId>neo4j-local-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
{deps}
  </dependencies>
</project>
"""


def install(p: Paths, quiet: bool = False) -> None:
    if cache_complete(p):
        if not quiet:
            info(f"Neo4j {NEO4J_VERSION} jars already cached in {p.lib}")
        return
    mvn = find_mvn()
    find_java()
    p.cache_root.mkdir(parents=True, exist_ok=True)
    with file_lock(p.cache_root / ".install.lock", "install"):
        if cache_complete(p):  # another process finished it while we waited
            if not quiet:
                info(f"Neo4j {NEO4J_VERSION} jars already cached in {p.lib}")
            return
        info(
            f"Fetching Neo4j {NEO4J_VERSION} jars with Maven into {p.lib} "
            f"(first time only; about a minute with an empty ~/.m2) ..."
        )
        t0 = time.monotonic()
        deps = "\n".join(
            f"    <dependency><groupId>{g}</groupId><artifactId>{a}</artifactId>"
            f"<version>{NEO4J_VERSION}</version></dependency>"
            for g, a in ARTIFACTS
        )
        with tempfile.TemporaryDirectory(prefix=".fetch-", dir=p.cache_root) as tmp:
            tmpd = Path(tmp)
            (tmpd / "pom.xml").write_text(POM.format(deps=deps))
            out = tmpd / "jars"
            cmd = [
                mvn,
                "-q",
                "-B",
                "-f",
                str(tmpd / "pom.xml"),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={out}",
                "-DincludeScope=runtime",
            ]
            r = subprocess.run(cmd, cwd=tmpd, capture_output=True, text=True)
            if r.returncode != 0:
                tail = "\n".join((r.stdout + r.stderr).strip().splitlines()[-30:])
                raise Fail(
                    f"Maven could not fetch the Neo4j jars (exit {r.returncode}):\n{tail}\n"
                    f"command: {' '.join(shlex.quote(c) for c in cmd)}"
                )
            jars = sorted(f.name for f in out.glob("*.jar"))
            names = {j.rsplit("-", 1)[0] for j in jars}
            missing = [a for _, a in ARTIFACTS if a not in names]
            if missing:
                raise Fail(f"Maven finished but these jars are missing: {missing} (got {len(jars)} jars)")
            (out / ".complete").write_text(
                json.dumps(
                    {"version": NEO4J_VERSION, "fetched": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "jars": jars}, indent=1
                )
                + "\n"
            )
            if p.lib.exists():  # incomplete leftovers from an interrupted run
                shutil.rmtree(p.lib)
            os.replace(out, p.lib)  # atomic: the folder appears complete or not at all
        size = sum(f.stat().st_size for f in p.lib.glob("*.jar")) / 1e6
        info(f"Fetched {len(jars)} jars ({size:.0f} MB) in {time.monotonic() - t0:.1f} s")
