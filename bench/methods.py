"""Time the network methods of issue 16 (country network, tie weights, backbone, Leiden and its
stability, cores, homophily) on generated networks, and optionally the whole analysis suite with them.

    python bench/methods.py --sizes 36000,100000 [--suite] [--out bench/results/methods.json]

Each size: the synthetic network of ``synthetic.generate`` (the one ``partnet generate`` writes),
read as a frozen graph as the CLI and the dashboard do; then the shared projection, then each
method once, wall-clock seconds. ``--suite`` also runs `bench.suite.run_suite` (every step,
the methods included) in a fresh interpreter and reports its total against the 60 s budget.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SUITE_BUDGET_S = 60.0


def time_methods(n: int, seed: int = 0) -> dict:
    """Seconds per method at ``n`` actors (one run each, after the shared projection)."""
    from analysis.memo import share
    from bench.suite import METHOD_STEPS
    from graph.convert import dataset_to_graph
    from synthetic import generate

    t0 = time.perf_counter()
    g = share(dataset_to_graph(generate(n, seed)))
    rows: list[dict[str, Any]] = [{"name": "generate + graph", "seconds": time.perf_counter() - t0}]
    ctx: dict[str, Any] = {"g": g}

    def step(name: str, fn) -> None:
        t = time.perf_counter()
        fn(ctx)
        rows.append({"name": name, "seconds": round(time.perf_counter() - t, 3)})
        print(f"  {n:>7,} {name:<40} {rows[-1]['seconds']:8.2f} s", flush=True)

    from analysis.projection import actor_projection

    step("actor projection (shared, baseline)", lambda c: c.__setitem__("proj", actor_projection(c["g"])))
    proj = ctx["proj"]
    ties = proj.number_of_edges()
    for name, fn in METHOD_STEPS:
        step(name, fn)
    from analysis.backbone import backbone_ties
    from analysis.cores import core_periphery
    from analysis.leiden import leiden, stability
    from analysis.tie_weights import weighted_projection

    step("tie weights (newman)", lambda c: c.__setitem__("newman", weighted_projection(c["g"], "newman")))
    step("tie weights (jaccard)", lambda c: weighted_projection(c["g"], "jaccard"))
    step("stable ties (min 2 shared)", lambda c: c.__setitem__("stable", weighted_projection(c["g"], min_shared=2)))
    step("backbone (count, 0.05)", lambda c: backbone_ties(c["proj"], 0.05))
    step("cores on stable ties", lambda c: core_periphery(c["stable"]))
    step("leiden (leidenalg engine)", lambda c: leiden(c["proj"], engine="leidenalg"))
    step("leiden stability (10 seeds)", lambda c: c.__setitem__("stab", stability(c["proj"], seeds=range(10))))
    return {"actors": n, "ties": ties, "steps": rows, "stability": ctx["stab"]}


def suite_total(n: int, seed: int = 0, *, with_methods: bool = True, timeout: float = 900) -> dict:
    """The whole analysis suite at ``n`` actors in a fresh interpreter, with or without the methods' steps."""
    code = (f"import json,sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from bench.suite import METHOD_STEPS, STEPS, run_suite\nfrom graph.convert import dataset_to_graph\n"
            "from synthetic import generate\n"
            f"steps = STEPS if {with_methods} else [s for s in STEPS if s not in METHOD_STEPS]\n"
            f"res = run_suite(dataset_to_graph(generate({n}, {seed})), steps=steps)\n"
            "print('RESULT ' + json.dumps(res))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return {"error": out.stderr[-2000:]}


def main(argv: list[str] | None = None) -> None:
    """Command line: time the methods at each size, print a table, write JSON with ``--out``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="36000,100000", help="comma-separated actor counts")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--suite", action="store_true", help="also time the whole analysis suite (fresh process)")
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = ap.parse_args(argv)
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        res = time_methods(n, args.seed)
        if args.suite:  # side by side, so that the machine's load weighs on both alike
            res["suite_without_methods"] = suite_total(n, args.seed, with_methods=False)
            res["suite"] = suite_total(n, args.seed)
            before, total = res["suite_without_methods"].get("total_s"), res["suite"].get("total_s")
            verdict = "within" if total is not None and total <= SUITE_BUDGET_S else "OVER"
            print(f"  {n:>7,} whole analysis suite (fresh process): without the methods {before} s, with them "
                  f"{total} s ({verdict} the {SUITE_BUDGET_S:.0f} s budget)", flush=True)
        results.append(res)
        print(f"  {n:>7,} actors, {res['ties']:,} ties; stability mean ARI {res['stability']['mean_ari']:.3f}",
              flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
