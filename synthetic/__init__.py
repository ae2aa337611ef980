"""Synthetic partnership networks at real programme size, for benchmarks and demonstrations.

`generate` builds a random but realistic dataset (graph-level records, `graph.model.Dataset`)
of any size; `generate_frames` gives the same data as one data frame per import-format table.
Everything is drawn with numpy from one ``numpy.random.Generator`` seeded by ``seed``, with
array operations only (no Python loop over actors or memberships), so 100,000 actors and their
~300,000 memberships are made in a few seconds, and the same ``(n_actors, seed, params)``
always gives the same records.

The shape, chosen to resemble EU programme data (EQUAL development partnerships, AMIF and
Horizon 2020 participations):

- **partnership sizes** are heavy-tailed: a discretised lognormal (median 5, most 3-10 members)
  mixed with a Pareto tail of thematic and city networks of tens to hundreds of members;
- **memberships per actor** follow a power law: every active actor is in at least one
  partnership and draws more in proportion to a Pareto "activity" weight (a few very active
  hubs, most actors in one to three partnerships), about `Params.memberships_per_actor` on average;
- **countries** cluster: most partnerships draw all members from one country; a minority
  (`Params.cross_border_share`, larger partnerships more often) span 2+ countries and sometimes
  a European-level body; countries are weighted by population;
- **families** in realistic proportions (`TYPE_WEIGHTS`: few trade unions, many NGOs,
  enterprises and authorities);
- **funding**: EU institutions (the Commission and its executive agencies) and national bodies
  (a ministry per country, an ESF+ managing authority in larger datasets) fund most partnerships
  under AMIF, ESF+, Erasmus+, Horizon 2020 or a national programme, with lognormal amounts
  (some unknown) and some national co-financing; a few actors get operating grants;
- **isolated actors** (`Params.isolated_share`) are in no partnership and have no link;
- start and end years (some partnerships still running), explicit bilateral links (many
  cross-border), and a ``parent_id`` hierarchy of partnerships inside networks.

Named profiles (`PROFILES`, ``partnet generate --profile``): ``default`` is the shape above;
``horizon2020`` is calibrated to the figures of all of Horizon 2020 (`synthetic.params.HORIZON2020_TARGETS`,
checked by `network_figures`): 61 % single-member partnerships (individual grants), a share of
"solo" actors holding only those (so 12 % of actors have no tie), consortia of about ten across
countries capped at 186, activity weights heavy enough for a few hubs in thousands of projects.

Modules: `synthetic.params` (`Params` and the reference tables), `synthetic.actors`,
`synthetic.memberships`, `synthetic.partnerships`, `synthetic.funding`, `synthetic.links` (the
stages; `synthetic.generator` runs them in draw order: `generate_frames`, `generate`),
`synthetic.files` (`write_csv_folder`) and `synthetic.shape` (`describe`). The package depends
on `graph` only.

References
----------
.. [1] M. E. J. Newman, S. H. Strogatz and D. J. Watts, "Random graphs with arbitrary degree
   distributions and their applications", Phys. Rev. E 64, 026118 (2001) — bipartite random
   graphs with prescribed degree distributions on both sides (the model followed here, with
   country blocks).
.. [2] European Commission, CORDIS Horizon 2020 projects and participants (about 31,000 projects,
   145,000 participations of 36,000 organisations): the size and skew targeted here.
"""

from __future__ import annotations

from synthetic.files import write_csv_folder
from synthetic.generator import generate, generate_frames
from synthetic.params import COUNTRIES, PROFILES, PROGRAMMES, TYPE_WEIGHTS, Params
from synthetic.shape import describe, network_figures

__all__ = [
    "COUNTRIES",
    "PROFILES",
    "PROGRAMMES",
    "TYPE_WEIGHTS",
    "Params",
    "describe",
    "generate",
    "generate_frames",
    "network_figures",
    "write_csv_folder",
]
