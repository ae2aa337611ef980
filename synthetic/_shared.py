"""Draw helpers and constants shared by the generator's stages (`synthetic.actors`, `.memberships`...).

Private to the package: vectorised categorical draws, pseudo-words for names, weighted draws
inside blocks, the provenance value and the network kinds.
"""

from __future__ import annotations

import numpy as np

#: Partnership kinds that are networks (all their non-lead members are ``member``).
NETWORK_KINDS = ("thematic_network", "city_network", "union_network")
_SYLL = np.array(["ka", "lo", "mi", "ran", "te", "vo", "su", "nel", "dri", "pa", "ze", "bor", "li", "quan",
                  "fe", "tor", "mu", "sa", "gri", "no", "del", "vi", "ro", "ta", "ben", "co", "lu", "mar",
                  "si", "der", "ja", "pol"])
#: The ``source`` of every generated record.
SOURCE = "SYNTHETIC"


def pseudo_words(rng: np.random.Generator, n: int, syllables: int) -> np.ndarray:
    """``n`` capitalised pseudo-words of ``syllables`` syllables each, drawn from ``rng``.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's random source.
    n, syllables : int
        How many words, and syllables per word.

    Returns
    -------
    numpy.ndarray
        ``n`` strings, each a concatenation of uniformly drawn syllables.
    """
    parts = _SYLL[rng.integers(0, len(_SYLL), size=(n, syllables))]
    out = parts[:, 0]
    for k in range(1, syllables):
        out = np.char.add(out, parts[:, k])
    return np.char.capitalize(out)


def choice(rng: np.random.Generator, options: tuple[str, ...] | list[str], p: np.ndarray, n: int) -> np.ndarray:
    """``n`` draws from ``options`` with probabilities proportional to ``p``.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's random source.
    options : tuple or list of str
        The values.
    p : numpy.ndarray
        Their weights (normalised here).
    n : int
        How many draws.

    Returns
    -------
    numpy.ndarray
        ``n`` values of ``options`` (object dtype).
    """
    idx = rng.choice(len(options), size=n, p=np.asarray(p, dtype=float) / np.sum(p))
    return np.asarray(options, dtype=object)[idx]


def sample_in_blocks(rng: np.random.Generator, cum: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                     block: np.ndarray) -> np.ndarray:
    """For each entry of ``block``, an index in ``[starts[b], ends[b])`` drawn with probability
    proportional to the weights whose cumulative sum (over all blocks, in block order) is ``cum``.

    Method: one uniform draw per entry between the block's cumulative bounds, located by binary
    search (inverse transform sampling), clipped to the block.
    """
    lo = np.where(starts[block] > 0, cum[np.maximum(starts[block] - 1, 0)], 0.0)
    hi = cum[np.maximum(ends[block] - 1, 0)]
    u = lo + rng.random(len(block)) * (hi - lo)
    idx = np.searchsorted(cum, u, side="right")
    return np.clip(idx, starts[block], np.maximum(ends[block] - 1, starts[block]))
