"""The disparity filter (analysis.backbone) against hand-computed p-values and a per-node integral.

Hand case, weighted graph: hub h with ties h-a 6, h-b 2, h-c 1, h-d 1 (k = 4, s = 10), and a-b 1.
  at h: α(h-a) = (1 - 0.6)^3 = 0.064, α(h-b) = 0.8^3 = 0.512, α(h-c) = α(h-d) = 0.9^3 = 0.729
  at a (k = 2, s = 7): α(h-a) = 1/7, α(a-b) = 6/7; at b (k = 2, s = 3): α(h-b) = 1/3, α(a-b) = 2/3
  c and d have degree 1: α = 1 from their end.
  p-values (min of the two ends): h-a 0.064, h-b 1/3, h-c 0.729, h-d 0.729, a-b 2/3.
(netbone, the reference implementation, pins networkx 2.8 and igraph 0.10, older than partnet's, so
the independent check here is the integral form of the null model, evaluated with scipy.)
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
from scipy.integrate import quad

from analysis.backbone import backbone, backbone_ties, disparity_pvalues
from graph.errors import PartnetError

HAND = {("h", "a"): 6, ("h", "b"): 2, ("h", "c"): 1, ("h", "d"): 1, ("a", "b"): 1}
WANT = {("a", "h"): 0.064, ("b", "h"): 1 / 3, ("c", "h"): 0.729, ("d", "h"): 0.729, ("a", "b"): 2 / 3}


def hand_graph() -> nx.Graph:
    g = nx.Graph()
    for (u, v), w in HAND.items():
        g.add_edge(u, v, weight=w)
    return g


def test_hand_pvalues():
    df = backbone_ties(hand_graph(), 1.0)
    got = {tuple(sorted((r.actor_a, r.actor_b))): r.disparity_p for r in df.itertuples()}
    assert got == pytest.approx(WANT)
    assert df.attrs["ties"] == 5 and df.attrs["kept"] == 5
    kept = backbone(hand_graph(), 0.1)
    assert sorted(tuple(sorted(e)) for e in kept.edges) == [("a", "h")]
    assert kept.number_of_nodes() == 5 and kept.graph["kept"] == 1 and kept.graph["ties"] == 5
    assert kept.edges["a", "h"]["disparity_p"] == pytest.approx(0.064)


def _integral_p(g: nx.Graph, u, v) -> float:
    """α at one end by the null model's integral: 1 - (k - 1) ∫_0^p (1 - x)^(k - 2) dx (Serrano et al. eq. 2)."""
    k = g.degree(u)
    if k < 2:
        return 1.0
    p = g.edges[u, v]["weight"] / g.degree(u, weight="weight")
    return 1.0 - (k - 1) * quad(lambda x: (1 - x) ** (k - 2), 0, p)[0]


def test_equals_integral_form_on_a_random_graph():
    rng = random.Random(4)
    g = nx.gnm_random_graph(60, 240, seed=4)
    for u, v in g.edges:
        g.edges[u, v]["weight"] = rng.choice([1, 1, 1, 2, 3, 5, 8, 20]) * rng.random() + 0.01
    nodes = sorted(g)
    i = np.array([min(u, v) for u, v in g.edges])
    j = np.array([max(u, v) for u, v in g.edges])
    w = np.array([g.edges[u, v]["weight"] for u, v in zip(i, j, strict=True)])
    p = disparity_pvalues(len(nodes), i, j, w)
    want = [min(_integral_p(g, u, v), _integral_p(g, v, u)) for u, v in zip(i, j, strict=True)]
    assert p == pytest.approx(want, abs=1e-9)
    kept = backbone(g, 0.2)
    assert {frozenset(e) for e in kept.edges} == {frozenset((u, v)) for u, v, q in zip(i, j, want, strict=True)
                                                  if q < 0.2}


def test_bad_input():
    with pytest.raises(PartnetError):
        backbone(hand_graph(), 0)
    with pytest.raises(PartnetError):
        disparity_pvalues(2, [0], [1], [0.0])


def test_cli_backbone(tmp_path):
    import json

    from click.testing import CliRunner

    from graph.sqlite_store import SQLiteStore
    from partnet.cli import cli
    from tests.test_analysis_countries import hand_dataset

    st = SQLiteStore(tmp_path / "h.db")
    st.write(hand_dataset())
    st.close()
    run = CliRunner().invoke
    res = run(cli, ["backbone", "--db", str(tmp_path / "h.db"), "--alpha", "0.9"])
    assert res.exit_code == 0, res.output
    assert "Backbone ties" in res.output and "ties" in res.output and "alpha = 0.9" in res.output
    res = run(cli, ["backbone", "--db", str(tmp_path / "h.db"), "--alpha", "1", "--format", "json",
                    "--weight", "newman"])
    rows = json.loads(res.output)
    assert rows and set(rows[0]) == {"actor_a", "name_a", "actor_b", "name_b", "weight", "disparity_p"}
    res = run(cli, ["backbone", "--db", str(tmp_path / "h.db"), "--alpha", "0"])
    assert res.exit_code == 2 and "Traceback" not in res.output
