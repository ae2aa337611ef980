"""The network-method modules' docstring examples run as doctests, and the README's lines for the
network-method commands (and the new analyse/export options) name only options that exist."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from partnet.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
MODULES = ["analysis.countries", "analysis.backbone", "analysis.tie_weights", "analysis.leiden", "analysis.cores",
           "analysis.homophily"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no examples"


def _usage_blocks() -> list[tuple[str, str]]:
    """(command, every option text of its usage block, continuation lines included) in the Analysis section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Analysis"):]
    section = section[:section.index("\n## ", 4)]
    blocks = re.findall(r"^    partnet ([a-z]+)(.*(?:\n {10,}\[.*)*)", section, flags=re.M)
    return blocks


def test_readme_method_commands_and_options_exist():
    blocks = dict(_usage_blocks())
    assert {"countries", "backbone", "communities", "cores", "homophily", "analyse", "export"} <= set(blocks)
    for cmd, rest in blocks.items():
        help_text = CliRunner().invoke(cli, [cmd, "--help"]).output
        for option in re.findall(r"--[a-z-]+", rest):
            assert option in help_text, (cmd, option)


def test_bench_methods_run():
    """The benchmark's method steps run on a small generated network (no timing is asserted)."""
    from bench.methods import time_methods
    from bench.suite import METHOD_STEPS, run_suite
    from graph.convert import dataset_to_graph
    from synthetic import generate

    res = time_methods(300, 1)
    names = [r["name"] for r in res["steps"]]
    assert {n for n, _ in METHOD_STEPS} <= set(names) and "leiden stability (10 seeds)" in names
    steps = [s for s in run_suite(dataset_to_graph(generate(300, 1)))["steps"] if s["name"] in dict(METHOD_STEPS)]
    assert len(steps) == len(METHOD_STEPS) and all(s["status"] == "ok" for s in steps), steps
