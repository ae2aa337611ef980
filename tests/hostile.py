"""A hostile dataset: every free-text field carries injection payloads of one named kind.

Used by the security tests: the data must round-trip exactly through both stores, change no
query's structure, and show up as inert text in exports, the report and the dashboard.
Values are NUL-free (neither store nor any file format the users bring can hold NUL) and
contain no lone surrogates (not encodable as UTF-8).
"""

from __future__ import annotations

from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership

#: kind of injection -> payloads. The keys are what the closing figures count.
PAYLOADS: dict[str, tuple[str, ...]] = {
    "script_tag": ("<script>alert('xss-script')</script>", "</script><script>alert(1)</script>",
                   "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    "event_handler": ('<img src=x onerror="alert(\'xss-img\')">', "<svg onload=alert('xss-svg')>",
                      '" onmouseover="alert(\'xss-attr\')" x="', "'><body onload=alert(1)>"),
    "javascript_url": ("javascript:alert('xss-url')", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                       "data:text/html,<script>alert(1)</script>"),
    "html_entity": ("&lt;script&gt;alert(1)&lt;/script&gt;", "&amp;&quot;&#39;&#x3C;b&#x3E;", "&nbsp;&copy;&#0;"),
    "markdown_template": ("[click](javascript:alert('xss-md'))", "{{7*7}} ${7*7} <%= 7*7 %>", "**bold** _it_ `code`",
                          "![img](https://evil.example/x.png)"),
    "cypher": ("'}) DETACH DELETE n //", "` MATCH (n) DETACH DELETE n //", "$param", "{id: $id}",
               "\\'; CALL db.clearQueryCaches() //", "x` WITH 1 AS a MATCH (n) DETACH DELETE n //"),
    "sql": ("'); DROP TABLE actors; --", "\" OR 1=1 --", "x'; DELETE FROM memberships WHERE '1'='1",
            "%' UNION SELECT sql FROM sqlite_master --"),
    "formula": ("=HYPERLINK(\"https://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)",
                "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "=1+1\n"),
    "bidi": ("\u202eevil\u202c.exe", "abc\u2067def\u2069", "\u200f\u200e\u061c"),
    "emoji": ("🤝🏽 Partnership 👩‍👩‍👧‍👦", "🏳️‍🌈", "𝕏𝔂𝔷 \U0001f600"),
    "control_chars": ("a\x01b\x02c\x1bd\x7f", "line1\nline2\r\nline3", "\x0b\x0c\x1c\x1d\x1e\x1f",
                      "\u2028\u2029\x85"),
    "format_breaking": ('a,b;c"d\'e', '"quoted" "twice"', "\\backslash\\n", "%s %d {0} {}", "../../../etc/passwd",
                        '"}]}); alert(1); //'),
}

INJECTION_KINDS: tuple[str, ...] = tuple(PAYLOADS)


def all_payloads() -> list[str]:
    """Every payload, in a fixed order."""
    return [p for values in PAYLOADS.values() for p in values]


def hostile_dataset() -> Dataset:
    """A small but complete dataset whose names, aliases, cities, websites, codes, themes,
    programmes, currencies, sources and sections carry the payloads (ids are hostile too in
    a few records, to check they travel only as parameters)."""
    payloads = all_payloads()
    actors: list[Actor] = []
    types = ("trade_union", "employer", "ngo", "migrant_organisation", "local_authority", "research")
    for i, text in enumerate(payloads):
        kind = next(k for k, v in PAYLOADS.items() if text in v)
        aid = f"h-{i}" if i % 5 else f"h-{i}-{text}"  # every fifth id carries the payload itself
        actors.append(Actor(
            id=aid, name=text, type=types[i % len(types)], aliases=(text, f"alias {kind}", payloads[-1 - i]),
            country=("FR", "DE", "IT", "", "PL")[i % 5], city=payloads[(i + 3) % len(payloads)],
            scope="european" if i % 5 == 3 else "", website=payloads[(i + 7) % len(payloads)],
            source=f"src {payloads[(i + 11) % len(payloads)]}", section=payloads[(i + 13) % len(payloads)],
        ))
    funder = Actor(id="funder-'}) DETACH DELETE n //", name="<b>Funder</b> '); DROP TABLE funding; --",
                   type="eu_institution", scope="european", website="javascript:alert('funder')")
    actors.append(funder)
    partnerships: list[Partnership] = []
    kinds = ("development_partnership", "thematic_network", "project", "pact")
    for i in range(0, len(payloads), 3):
        text = payloads[i]
        partnerships.append(Partnership(
            id=f"hp-{i}" if i % 2 else f"hp-{i}-{text}", name=text, kind=kinds[i % len(kinds)],
            code=payloads[(i + 1) % len(payloads)], theme=payloads[(i + 2) % len(payloads)],
            level=("local", "national", "european", "")[i % 4], start_year=2000 + i % 20, end_year=2005 + i % 20,
            source=payloads[(i + 5) % len(payloads)], section=payloads[(i + 9) % len(payloads)],
        ))
    parent = partnerships[0]
    partnerships[1:] = [p if j % 3 else Partnership(**{**p.as_dict(), "parent_id": parent.id})
                        for j, p in enumerate(partnerships[1:], start=1)]
    roles = ("lead", "partner", "member", "observer")
    memberships = [Membership(a.id, partnerships[i % len(partnerships)].id, roles[i % len(roles)],
                              source=payloads[(i + 17) % len(payloads)], section=payloads[(i + 19) % len(payloads)])
                   for i, a in enumerate(actors[:-1])]
    memberships += [Membership(a.id, partnerships[(i + 1) % len(partnerships)].id, "partner")
                    for i, a in enumerate(actors[:-1]) if i % 2]
    funding = [Funding(funder.id, p.id, programme=payloads[(i * 7) % len(payloads)],
                       amount=(None, 0.0, 1234.5, 1e9)[i % 4], currency=("EUR", "<i>€</i>", "=1+1", "")[i % 4],
                       start_year=2001, end_year=None if i % 2 else 2004, source=payloads[i % len(payloads)],
                       section=payloads[(i + 1) % len(payloads)])
               for i, p in enumerate(partnerships)]
    funding.append(Funding(funder.id, actors[0].id, programme="$param", amount=10.0, currency="EUR"))
    links = [Link(actors[i].id, actors[i + 1].id, ("exchange", "twinning", "cooperation", "other")[i % 4],
                  year=None if i % 3 == 0 else 2010 + i, source=payloads[(i + 23) % len(payloads)],
                  section=payloads[(i + 29) % len(payloads)])
             for i in range(0, len(actors) - 2, 2)]
    return Dataset(actors=actors, partnerships=partnerships, memberships=memberships, funding=funding, links=links)
