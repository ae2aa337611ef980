"""The Examples in the analysis modules' docstrings run as doctests, so the documentation cannot go stale."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "analysis.projection",
    "analysis.filters",
    "analysis.matrices",
    "analysis.centrality",
    "analysis.brokers",
    "analysis.fragility",
    "analysis.holes",
    "analysis.betweenness",
    "analysis.closeness",
    "analysis.spectral",
    "analysis._sampling",
    "analysis.isolation",
    "analysis.communities",
    "analysis.periods",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no examples"
