"""The docstring examples of the gap, funding, cross-border, planner and export modules run as doctests,
and the README's analysis commands and options exist."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from partnet.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("name", ["analysis.composition", "analysis.rules", "analysis.funding", "analysis.crossborder",
                                  "analysis.invites", "analysis.export"])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no examples"


def test_readme_analysis_commands_exist():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Analysis"):]
    section = section[:section.index("\n## ", 4)]
    commands = re.findall(r"^    partnet (analyse|export|report)(.*)$", section, flags=re.M)
    assert {c for c, _ in commands} == {"analyse", "export", "report"}
    for cmd, rest in commands:
        help_text = CliRunner().invoke(cli, [cmd, "--help"]).output
        for option in re.findall(r"--[a-z-]+", rest):
            assert option in help_text, (cmd, option)


def test_readme_rule_example_is_valid(tmp_path):
    from analysis.gaps import load_rules

    text = README.read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text[text.index("## Analysis"):], flags=re.S).group(1)
    f = tmp_path / "r.toml"
    f.write_text(block, encoding="utf-8")
    assert load_rules(f)
