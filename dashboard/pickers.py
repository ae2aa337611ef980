"""Pickers for lists that may be long (actors, partnerships): a search box first above `LIST_LIMIT` options.

Streamlit sends every option of a ``st.selectbox``/``st.multiselect`` to the browser on each run and
filters them there while the user types. Measured on the project's machine kind (2 cores, headless
Chromium): 1,000 options take about a second from typing to choosing; 10,000 options take 6–10 s,
and their labels add about 430 kB to every run of the page (the network page's warm first render
went from ~3.2 s to ~2.0 s without its two long lists). Up to `LIST_LIMIT` options the picker is
the plain widget; above, a text box filters the options in Python (case-insensitive substring of
the shown label) and the widget lists only the matches, plus whatever is already chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

__all__ = ["LIST_LIMIT", "matches", "pick_many", "pick_one"]

#: Above this many options a picker asks for a search text first.
LIST_LIMIT = 1000


def matches(options: Sequence[Any], label: Callable[[Any], str], query: str, limit: int | None = None) -> list[Any]:
    """The first ``limit`` (default `LIST_LIMIT`) options whose ``label`` contains ``query``, ignoring case and
    repeated spaces; none for a blank query."""
    limit = LIST_LIMIT if limit is None else limit
    q = " ".join(str(query).split()).casefold()
    if not q:
        return []
    out = []
    for o in options:
        if q in " ".join(label(o).split()).casefold():
            out.append(o)
            if len(out) >= limit:
                break
    return out


def pick_one(where: Any, label: str, options: Sequence[Any], *, format_func: Callable[[Any], str], key: str,
             placeholder: str, limit: int | None = None) -> Any:
    """One option or None: ``where.selectbox`` of the options, or of the matches of a search box above ``limit``.

    ``where`` is ``st`` or a container/column. The chosen option stays listed while the search changes.
    """
    limit = LIST_LIMIT if limit is None else limit
    if len(options) <= limit:
        return where.selectbox(label, options, index=None, format_func=format_func, placeholder=placeholder,
                               key=key)
    query = where.text_input(label, key=f"{key}_search",
                             placeholder=f"Type part of a name, then Enter ({len(options):,} to search)")
    hits = matches(options, format_func, query, limit)
    current = st.session_state.get(key)
    if current is not None and current not in hits and current in set(options):
        hits.insert(0, current)
    title = f"{len(hits):,} match{'es' if len(hits) != 1 else ''}" + (f" (first {limit:,})" if len(hits) >= limit
                                                                     else "")
    return where.selectbox(title, hits, index=None, format_func=format_func, key=key,
                           placeholder="Choose one…" if hits else "Search above first")


def pick_many(where: Any, label: str, options: Sequence[Any], *, format_func: Callable[[Any], str], key: str,
              limit: int | None = None) -> list[Any]:
    """Options chosen with ``where.multiselect``; above ``limit`` options it lists the search's matches and
    the options already chosen (so a new search keeps them)."""
    limit = LIST_LIMIT if limit is None else limit
    if len(options) <= limit:
        return where.multiselect(label, options, format_func=format_func, key=key)
    query = where.text_input(f"{label}: search", key=f"{key}_search",
                             placeholder=f"Type part of a name, then Enter ({len(options):,} to search)")
    valid = set(options)
    chosen = [o for o in st.session_state.get(key) or [] if o in valid]
    hits = chosen + [o for o in matches(options, format_func, query, limit) if o not in chosen]
    return where.multiselect(label, hits, format_func=format_func, key=key,
                             placeholder="Choose among the matches…" if hits else "Search above first")
