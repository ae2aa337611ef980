"""Meeting planner: the smallest invite list that covers every community, country, family or
partnership asked for, and suggested introductions that close a gap in the network.

Invite list: greedy set cover (each actor covers its country, family, community and
partnerships), with must-invite actors first. Introductions: pairs of actors not yet tied,
scored by Adamic–Adar (or resource allocation) on the actor projection, restricted to pairs
that close a gap — a trade union for a union-less partnership, a bridge between two
communities, a first cross-border tie for a country that has none. Every row says why it is
there.

The invite list lives in `analysis.invites`, the introductions in `analysis.introductions` (scores in
`analysis._link_prediction`, candidates per gap in `analysis._intro_candidates`); this module gathers
their public names.
"""

from __future__ import annotations

from analysis.introductions import INTRODUCTION_GAPS, suggest_introductions
from analysis.invites import GOALS, plan_meeting

__all__ = ["GOALS", "INTRODUCTION_GAPS", "plan_meeting", "suggest_introductions"]
