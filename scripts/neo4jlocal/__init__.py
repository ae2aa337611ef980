"""The implementation of scripts/neo4j-local (a local Neo4j Community server without Docker).

Standard library only, so it works before the project is pip-installed; scripts/neo4j-local puts
this folder's parent on ``sys.path`` and calls `neo4jlocal.commands.main`. The parts:

- `neo4jlocal.common`: the pinned version and server constants, messages (`Fail`, `info`, `warn`),
  the state folder's layout (`Paths`) and its lock;
- `neo4jlocal.install`: Java and Maven, and the jar cache filled from Maven Central;
- `neo4jlocal.config`: neo4j.conf, the ports, the password, the memory settings;
- `neo4jlocal.process`: the JVM (launch, pid, signals), its HTTP answer and its logs;
- `neo4jlocal.commands`: install / start / stop / kill / status / env and the argument parser.
"""
