"""The dashboard process that ``partnet serve`` starts: the warm-up thread, then ``streamlit run``.

    python -m dashboard.serve <streamlit run arguments: the app path, then --server.* options>

`dashboard.warmup.boot` starts before Streamlit's server listens, so importing the analysis
modules and computing the network page's first view overlap the server's own start; the rest of
the command line goes to Streamlit's ``streamlit run`` unchanged.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Start the warm-up thread (unless ``PARTNET_WARMUP=0``), then ``streamlit run`` with ``argv``."""
    from streamlit.web import cli  # before the warm-up thread, which imports streamlit's caches too

    from dashboard import warmup

    if warmup.enabled():
        warmup.boot()
    sys.argv = ["streamlit", "run", *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
