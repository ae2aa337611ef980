"""A tiny hand-made partnership graph whose analysis answers can be checked by reading.

Actors (country, family):
  FR: fr-union (trade_unions), fr-city (authorities), fr-ngo (ngos), fr-migrants (target_public),
      fr-employer (enterprises), fr-ministry (authorities, funder only)
  DE: de-ngo (ngos), de-city (authorities), de-employer (enterprises)
  IT: it-ngo (ngos), it-union (trade_unions)
  ES: es-ngo (ngos), es-city (authorities)
  PT: pt-ngo (ngos, in no partnership)
  --: ec (authorities, European Commission, no country, funder only)

Partnerships and members:
  dp-full     development_partnership  fr-union fr-city fr-ngo fr-migrants fr-employer   (all five families)
  dp-nounion  development_partnership  fr-ngo fr-city de-ngo                          (FR+DE, no union)
  proj-de     project                  de-ngo de-city de-employer                     (DE, no union)
  net-it      thematic_network         it-ngo it-union                                (IT)
  proj-es     project                  es-ngo es-city                                 (ES, no union)
  empty-p     project                  (no member)

Funding: ec -> dp-full 50,000 EUR (ESF/EQUAL); fr-ministry -> dp-full 50,000 EUR (National);
ec -> dp-nounion 100,000 EUR (ESF/EQUAL); ec -> proj-de amount unknown (AMIF);
fr-ministry -> fr-ngo 1,000 EUR (National).
Links: fr-union -> it-union (twinning, cross-border).
"""

from __future__ import annotations

import networkx as nx

from graph.convert import dataset_to_graph
from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership

MEMBERS = {
    "dp-full": ["fr-union", "fr-city", "fr-ngo", "fr-migrants", "fr-employer"],
    "dp-nounion": ["fr-ngo", "fr-city", "de-ngo"],
    "proj-de": ["de-ngo", "de-city", "de-employer"],
    "net-it": ["it-ngo", "it-union"],
    "proj-es": ["es-ngo", "es-city"],
    "empty-p": [],
}


def toy_dataset() -> Dataset:
    """The dataset described in the module docstring."""
    actors = [
        Actor("fr-union", "CGT Paris", "trade_union", country="FR"),
        Actor("fr-city", "Ville de Lyon", "local_authority", country="FR"),
        Actor("fr-ngo", "France Terre d'Asile", "ngo", country="FR"),
        Actor("fr-migrants", "Association des Travailleurs Maghrébins", "migrant_organisation", country="FR"),
        Actor("fr-employer", "Medef Rhône", "employer_organisation", country="FR"),
        Actor("fr-ministry", "Ministère du Travail", "national_authority", country="FR"),
        Actor("de-ngo", "Caritas Berlin", "ngo", country="DE"),
        Actor("de-city", "Stadt Stuttgart", "local_authority", country="DE"),
        Actor("de-employer", "Bosch", "employer", country="DE"),
        Actor("it-ngo", "ARCI", "ngo", country="IT"),
        Actor("it-union", "CGIL", "trade_union", country="IT"),
        Actor("es-ngo", "CEAR", "ngo", country="ES"),
        Actor("es-city", "Ayuntamiento de Madrid", "local_authority", country="ES"),
        Actor("pt-ngo", "Associação Solidariedade", "ngo", country="PT"),
        Actor("ec", "European Commission", "eu_institution", scope="european"),
    ]
    partnerships = [
        Partnership("dp-full", "FULL HOUSE", "development_partnership", code="FR-NAT-2001-1"),
        Partnership("dp-nounion", "NO UNION", "development_partnership", code="FR-NAT-2001-2"),
        Partnership("proj-de", "Projekt Arbeit", "project"),
        Partnership("net-it", "Rete Italia", "thematic_network"),
        Partnership("proj-es", "Proyecto Madrid", "project"),
        Partnership("empty-p", "Empty project", "project"),
    ]
    memberships = [Membership(a, p, "lead" if i == 0 else "partner")
                   for p, members in MEMBERS.items() for i, a in enumerate(members)]
    funding = [
        Funding("ec", "dp-full", "ESF/EQUAL", 50_000.0, "EUR"),
        Funding("fr-ministry", "dp-full", "National", 50_000.0, "EUR"),
        Funding("ec", "dp-nounion", "ESF/EQUAL", 100_000.0, "EUR"),
        Funding("ec", "proj-de", "AMIF", None, ""),
        Funding("fr-ministry", "fr-ngo", "National", 1_000.0, "EUR"),
    ]
    links = [Link("fr-union", "it-union", "twinning", 2004)]
    return Dataset(actors, partnerships, memberships, funding, links)


def toy_graph() -> nx.MultiDiGraph:
    """The property graph of `toy_dataset`."""
    return dataset_to_graph(toy_dataset())
