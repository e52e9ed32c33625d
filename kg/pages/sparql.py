"""Every page's SPARQL. IRIs are checked as IRIs before they enter a query; the project's prefixes lead each one."""

from __future__ import annotations

import pyoxigraph as ox

from ..names import sparql_prefixes

ROLES = ('VALUES (?rp ?role) { (dip:participant "participant") (dip:agent "agent") (dip:target "target") '
         '(dip:subject "subject") }')


def iri(value: str) -> str:
    """An IRI as SPARQL writes it; raises ValueError for anything that is not one."""
    return str(ox.NamedNode(value))


def label(var: str) -> str:
    """An English (or untagged) label of ?var as ?varLabel, when there is one."""
    return f'OPTIONAL {{ ?{var} rdfs:label ?{var}Label FILTER(LANG(?{var}Label) = "en" || LANG(?{var}Label) = "") }}'


def _q(text: str) -> str:
    return sparql_prefixes() + text


def event_classes(event: str) -> str:
    return _q(f"SELECT DISTINCT ?class WHERE {{ {iri(event)} a ?class }}")


def event_actors(event: str) -> str:
    """The event's actors with their role, label and class."""
    return _q(f"""SELECT ?role ?actor (SAMPLE(?actorLabel) AS ?name) (SAMPLE(?k) AS ?kind) WHERE {{
  {iri(event)} ?rp ?actor . {ROLES}
  {label("actor")}
  OPTIONAL {{ ?actor a ?k }}
}} GROUP BY ?role ?actor ORDER BY ?role ?name""")


def event_sources(event: str) -> str:
    """One row per evidence sentence of the event, with its source article and what that source says."""
    e = iri(event)
    return _q(f"""SELECT ?g ?article ?headline ?publisher ?published ?url ?date ?dateText ?earliest ?latest ?place
       ?placeLabel ?ev ?start ?end ?exact ?confidence ?modality WHERE {{
  GRAPH ?g {{
    {e} dip:evidence ?ev .
    ?ev oa:hasSource ?article ; dip:confidence ?confidence ; dip:modality ?mod ; oa:hasSelector ?p , ?q .
    ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact .
    OPTIONAL {{ {e} dip:date ?date }} OPTIONAL {{ {e} dip:dateText ?dateText }}
    OPTIONAL {{ {e} dip:earliest ?earliest }} OPTIONAL {{ {e} dip:latest ?latest }}
    OPTIONAL {{ {e} dip:place ?place }}
  }}
  ?mod skos:notation ?modality .
  OPTIONAL {{ ?article schema:headline ?headline }} OPTIONAL {{ ?article schema:publisher ?publisher }}
  OPTIONAL {{ ?article schema:datePublished ?published }} OPTIONAL {{ ?article schema:url ?url }}
  {label("place")}
}} ORDER BY ?published ?g ?start""")


def bodies(articles: list[str]) -> str:
    """The text of some articles (evidence offsets count in it)."""
    values = " ".join(iri(a) for a in articles)
    return _q(f"SELECT ?article ?body WHERE {{ VALUES ?article {{ {values} }} ?article dip:body ?body }}")


def actor_facts(actor: str) -> str:
    """What the actor is: classes, labels in every language, other names, Wikidata item, country."""
    a = iri(actor)
    return _q(f"""SELECT ?p ?o (LANG(?o) AS ?lang) ?oLabel WHERE {{
  {a} ?p ?o . VALUES ?p {{ rdf:type rdfs:label skos:altLabel owl:sameAs dip:country org:postIn }}
  {label("o")}
}}""")


def actor_posts(actor: str) -> str:
    """The posts the actor holds, each with the articles that state it."""
    a = iri(actor)
    return _q(f"""SELECT ?post ?postLabel ?state ?stateLabel ?article ?headline ?published ?exact WHERE {{
  {a} org:holds ?post .
  {label("post")}
  OPTIONAL {{ ?post org:postIn ?state . {label("state")} }}
  OPTIONAL {{ ?tenure dip:holder {a} ; dip:post ?post ; dip:evidence ?ev .
             ?ev oa:hasSource ?article ; oa:hasSelector/oa:exact ?exact .
             OPTIONAL {{ ?article schema:headline ?headline }}
             OPTIONAL {{ ?article schema:datePublished ?published }} }}
}} ORDER BY ?postLabel ?published""")


def actor_events(actor: str) -> str:
    """The events the actor takes part in, by type and date, with how many articles report each."""
    return _q(f"""SELECT ?event ?type ?role (MIN(?d) AS ?date) (MIN(?e) AS ?earliest)
       (COUNT(DISTINCT ?article) AS ?sources) WHERE {{
  ?event ?rp {iri(actor)} . {ROLES}
  ?event a ?class . ?class skos:inScheme dip:EventTypes ; skos:notation ?type .
  OPTIONAL {{ ?event dip:date ?d }} OPTIONAL {{ ?event dip:earliest ?e }}
  OPTIONAL {{ ?event dip:evidence/oa:hasSource ?article }}
}} GROUP BY ?event ?type ?role ORDER BY ?earliest ?type""")


def event_names(events: list[str]) -> str:
    """The actors of some events, to name them ('meeting: Trump, Petro')."""
    values = " ".join(iri(e) for e in events)
    return _q(f"""SELECT ?event ?role ?actor (SAMPLE(?actorLabel) AS ?name) WHERE {{
  VALUES ?event {{ {values} }} ?event ?rp ?actor . {ROLES} {label("actor")}
}} GROUP BY ?event ?role ?actor ORDER BY ?event ?role ?name""")


def members(state: str) -> str:
    """The people and bodies that belong to a state or hold one of its posts."""
    s = iri(state)
    return _q(f"""SELECT ?member (SAMPLE(?memberLabel) AS ?name) WHERE {{
  {{ ?member dip:country {s} }} UNION {{ ?member org:holds/org:postIn {s} }}
  FILTER NOT EXISTS {{ ?member a dip:Post }}
  {label("member")}
}} GROUP BY ?member ORDER BY ?name""")


def counterparts(actor: str, limit: int = 10) -> str:
    """The actors that share most events with this one."""
    a = iri(actor)
    return _q(f"""SELECT ?other (SAMPLE(?otherLabel) AS ?name) (COUNT(DISTINCT ?event) AS ?events) WHERE {{
  ?event ?r1 {a} ; ?r2 ?other .
  VALUES ?r1 {{ dip:participant dip:agent dip:target dip:subject }}
  VALUES ?r2 {{ dip:participant dip:agent dip:target dip:subject }}
  FILTER(?other != {a})
  {label("other")}
}} GROUP BY ?other ORDER BY DESC(?events) ?name LIMIT {int(limit)}""")


def _involves(var: str, actor: str, n: int) -> str:
    """?var has, in some role, the actor itself or one of its people or bodies (a state's minister counts for it)."""
    return (f"?{var} ?ra{n} ?a{n} . VALUES ?ra{n} {{ dip:participant dip:agent dip:target dip:subject }} "
            f"?a{n} (dip:country|(org:holds/org:postIn))? {iri(actor)} .")


def _event_filters(types: list[str], start: str, end: str) -> str:
    """Type and date-range filters on ?event (types are export names, dates ISO days; both checked by callers)."""
    parts = []
    if types:
        parts.append("VALUES ?type { " + " ".join(str(ox.Literal(t)) for t in types) + " }")
    if start:
        parts.append(f'FILTER(STR(?earliestOf) >= {ox.Literal(start)})')
    if end:
        parts.append(f'FILTER(STR(?earliestOf) <= {ox.Literal(end)})')
    return "\n  ".join(parts)


def timeline(actors: list[str], types: list[str], start: str, end: str, limit: int) -> str:
    """Dated events, oldest first, with their bounds, modalities and source count; filtered by actors (every one
    must take part), types and a range of days."""
    involve = "\n  ".join(_involves("event", a, i) for i, a in enumerate(actors))
    return _q(f"""SELECT ?event ?type (MIN(?earliestOf) AS ?earliest) (MAX(?latestOf) AS ?latest) (SAMPLE(?d) AS ?date)
       (GROUP_CONCAT(DISTINCT ?modality; separator=" ") AS ?modalities) (COUNT(DISTINCT ?article) AS ?sources)
WHERE {{
  ?event a ?class ; dip:earliest ?earliestOf .
  ?class skos:inScheme dip:EventTypes ; skos:notation ?type .
  {involve}
  {_event_filters(types, start, end)}
  OPTIONAL {{ ?event dip:latest ?latestOf }} OPTIONAL {{ ?event dip:date ?d }}
  ?event dip:evidence ?ev . ?ev oa:hasSource ?article ; dip:modality/skos:notation ?modality .
}} GROUP BY ?event ?type ORDER BY ?earliest ?event LIMIT {int(limit)}""")


def network(types: list[str], start: str, end: str, limit: int) -> str:
    """Pairs of actors and how many events of each type join them: participants of one event with each other, an
    agent with its targets."""
    return _q(f"""SELECT ?a ?b ?type (COUNT(DISTINCT ?event) AS ?events) WHERE {{
  ?event a ?class . ?class skos:inScheme dip:EventTypes ; skos:notation ?type .
  OPTIONAL {{ ?event dip:earliest ?earliestOf }}
  {_event_filters(types, start, end)}
  {{ ?event dip:participant ?a , ?b FILTER(STR(?a) < STR(?b)) }} UNION {{ ?event dip:agent ?a ; dip:target ?b }}
}} GROUP BY ?a ?b ?type ORDER BY DESC(?events) LIMIT {int(limit)}""")


def names_and_kinds(things: list[str]) -> str:
    """A label and a kind for each of some actors."""
    values = " ".join(iri(t) for t in things)
    return _q(f"""SELECT ?thing (SAMPLE(?thingLabel) AS ?name) (SAMPLE(?k) AS ?kind) WHERE {{
  VALUES ?thing {{ {values} }} {label("thing")} OPTIONAL {{ ?thing a ?k }}
}} GROUP BY ?thing""")


def choices() -> str:
    """The states and the most often named actors, for the filter forms."""
    return _q("""SELECT ?actor (SAMPLE(?actorLabel) AS ?name) (SAMPLE(?k) AS ?kind) (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  ?event ?r ?actor . VALUES ?r { dip:participant dip:agent dip:target }
  ?actor a ?k . VALUES ?k { dip:State dip:Person dip:Organisation }
  """ + label("actor") + """
} GROUP BY ?actor ORDER BY DESC(?events) LIMIT 60""")
