"""Synthetic stores for benchmarks: events over many actors and articles, in the model ingest writes.

Each synthetic article has its meta record and PROV run in the meta graph and its own named graph with events
(type, roles, dates, evidence with quote and position selectors, confidence, modality), the people it names
(label, country, mention count) and office holdings. A share of events is restated by later articles (same
event IRI, sometimes with another date or modality), so multi-source events, conflicts and the union's
duplicates exist at every size. Actors follow a long tail: a few states and people appear in many events.

    python bench/synth.py 100000 /tmp/synth-100k      # about 100k quads, on disk
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.catalog import load_catalog  # noqa: E402
from kg.event_types import event_types  # noqa: E402
from kg.names import DIP, META_GRAPH, PREFIXES, article_graph, article_iri, digest, run_iri, thing  # noqa: E402
from kg.rdf import EXTRACTOR_VERSION  # noqa: E402

RDF_TYPE = PREFIXES["rdf"] + "type"
XSD = PREFIXES["xsd"]
OA = PREFIXES["oa"]
# Event type name -> class local name, as the ontology states them.
EVENT_CLASS = {name: t.cls.rsplit("#", 1)[-1] for name, t in event_types().items()}
MODALITIES = ["actual"] * 6 + ["announced", "planned", "reported", "threatened", "refused"]
ROLES = {"meeting": ("participant", "participant"), "phone_call": ("participant", "participant")}
QUADS_PER_ARTICLE = 78  # measured on the generator's output: used to turn a quad target into articles


def _iri(v: str) -> str:
    return f"<{v}>"


def _lit(v: object, dtype: str | None = None, lang: str | None = None) -> str:
    text = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{text}"@{lang}'
    return f'"{text}"^^<{XSD}{dtype}>' if dtype else f'"{text}"'


@dataclass
class World:
    """The actors events are drawn from: catalog states and people, plus generated people of those states."""

    states: list[str]
    people: list[tuple[str, str, str]]  # (iri, label, state iri)
    rng: random.Random
    events: list[tuple[str, str, list[tuple[str, str]], dt.date]] = field(default_factory=list)

    def state(self) -> str:
        # A long tail: the first state is in about a fifth of the picks, then fewer and fewer.
        return self.states[int(len(self.states) * self.rng.random() ** 3)]

    def person(self) -> tuple[str, str, str]:
        return self.people[int(len(self.people) * self.rng.random() ** 2.5)]


def make_world(n_people: int, seed: int) -> World:
    catalog = load_catalog()
    rng = random.Random(seed)
    states = [e.iri for e in catalog if e.kind == "state"]
    head = [thing("state", k) for k in ("united-states", "colombia", "venezuela", "russia", "china", "ukraine")]
    states = head + [s for s in states if s not in head]
    people = [(e.iri, e.label, thing("state", e.country)) for e in catalog if e.kind == "person" and e.country]
    people.sort(key=lambda p: p[0] != thing("person", "gustavo-petro"))
    for i in range(n_people):
        country = states[int(len(states) * rng.random() ** 3)]
        people.append((thing("person", f"synthetic-{i}"), f"Person {i}", country))
    return World(states, people, rng)


def _new_event(w: World, day: dt.date) -> tuple[str, str, list[tuple[str, str]], dt.date]:
    etype = w.rng.choice(list(EVENT_CLASS))
    roles: list[tuple[str, str]] = []
    if etype in ROLES:
        a, b = w.person(), w.person()
        roles = [("participant", a[0]), ("participant", b[0] if b != a else w.state())]
    else:
        roles = [("agent", w.state() if w.rng.random() < 0.6 else w.person()[0]),
                 ("target", w.person()[0] if w.rng.random() < 0.5 else w.state())]
    when = day - dt.timedelta(days=w.rng.randrange(0, 4))
    iri = thing("event", digest(etype, *[r[1] for r in roles], when.isoformat()))
    return iri, etype, roles, when


def _event_lines(w: World, aid: str, g: str, event: tuple[str, str, list[tuple[str, str]], dt.date],
                 n: int) -> Iterator[str]:
    iri, etype, roles, when = event
    if w.rng.random() < 0.1:  # another source gives another day
        when = when + dt.timedelta(days=w.rng.choice((-9, -2, 1, 7)))
    e, gg = _iri(iri), _iri(g)
    yield f"{e} <{RDF_TYPE}> <{DIP}{EVENT_CLASS[etype]}> {gg} ."
    for role, actor in roles:
        yield f"{e} <{DIP}{role}> {_iri(actor)} {gg} ."
    yield f"{e} <{DIP}date> {_lit(when.isoformat(), 'date')} {gg} ."
    yield f"{e} <{DIP}earliest> {_lit(when.isoformat(), 'date')} {gg} ."
    yield f"{e} <{DIP}latest> {_lit(when.isoformat(), 'date')} {gg} ."
    yield f"{e} <{DIP}dateText> {_lit(when.strftime('%B %d'))} {gg} ."
    ev = thing("evidence", digest(aid, iri, str(n)))
    q, p = _iri(ev + "#quote"), _iri(ev + "#position")
    start = 100 * n
    yield from (
        f"{e} <{DIP}evidence> {_iri(ev)} {gg} .",
        f"{_iri(ev)} <{RDF_TYPE}> <{OA}SpecificResource> {gg} .",
        f"{_iri(ev)} <{OA}hasSource> {_iri(article_iri(aid))} {gg} .",
        f"{_iri(ev)} <{OA}hasSelector> {q} {gg} .",
        f"{_iri(ev)} <{OA}hasSelector> {p} {gg} .",
        f"{q} <{RDF_TYPE}> <{OA}TextQuoteSelector> {gg} .",
        f"{q} <{OA}exact> {_lit(f'Sentence {n} of article {aid} reports a {etype}.')} {gg} .",
        f"{p} <{RDF_TYPE}> <{OA}TextPositionSelector> {gg} .",
        f"{p} <{OA}start> {_lit(start, 'integer')} {gg} .",
        f"{p} <{OA}end> {_lit(start + 60, 'integer')} {gg} .",
        f"{_iri(ev)} <{DIP}confidence> {_lit(f'{w.rng.uniform(0.5, 0.95):.3f}', 'decimal')} {gg} .",
        f"{_iri(ev)} <{DIP}modality> <{DIP}{w.rng.choice(MODALITIES)}> {gg} .",
        f"{_iri(ev)} <{PREFIXES['prov']}wasGeneratedBy> {_iri(run_iri(aid, EXTRACTOR_VERSION))} {gg} .",
    )


def _tenure_lines(aid: str, g: str, person: tuple[str, str, str], n: int) -> Iterator[str]:
    post = thing("post", "foreign-minister-" + person[2].rsplit("/", 1)[-1])
    tenure, ev = thing("tenure", digest(person[0], post)), thing("evidence", digest(aid, person[0], "tenure"))
    t, gg, q = _iri(tenure), _iri(g), _iri(ev + "#quote")
    label = _lit("Foreign minister of " + person[2].rsplit("/", 1)[-1], lang="en")
    yield from (
        f"{t} <{RDF_TYPE}> <{DIP}Tenure> {gg} .",
        f"{t} <{DIP}holder> {_iri(person[0])} {gg} .",
        f"{t} <{DIP}post> {_iri(post)} {gg} .",
        f"{_iri(person[0])} <{PREFIXES['org']}holds> {_iri(post)} {gg} .",
        f"{_iri(post)} <{RDF_TYPE}> <{DIP}Post> {gg} .",
        f"{_iri(post)} <{PREFIXES['rdfs']}label> {label} {gg} .",
        f"{_iri(post)} <{PREFIXES['org']}postIn> {_iri(person[2])} {gg} .",
        f"{t} <{DIP}evidence> {_iri(ev)} {gg} .",
        f"{_iri(ev)} <{RDF_TYPE}> <{OA}SpecificResource> {gg} .",
        f"{_iri(ev)} <{OA}hasSource> {_iri(article_iri(aid))} {gg} .",
        f"{_iri(ev)} <{OA}hasSelector> {q} {gg} .",
        f"{q} <{RDF_TYPE}> <{OA}TextQuoteSelector> {gg} .",
        f"{q} <{OA}exact> {_lit(f'{person[1]}, the foreign minister, said so ({n}).')} {gg} .",
    )


def _meta_lines(aid: str, day: dt.date, outlet: str) -> Iterator[str]:
    a, m, run = _iri(article_iri(aid)), _iri(META_GRAPH), _iri(run_iri(aid, EXTRACTOR_VERSION))
    s, prov = PREFIXES["schema"], PREFIXES["prov"]
    yield from (
        f"{a} <{RDF_TYPE}> <{s}NewsArticle> {m} .",
        f"{a} <{DIP}sha256> {_lit(digest(aid, length=64))} {m} .",
        f"{a} <{s}inLanguage> {_lit('en')} {m} .",
        f"{a} <{s}url> {_lit(f'https://{outlet}/news/{aid}', 'anyURI')} {m} .",
        f"{a} <{s}datePublished> {_lit(day.isoformat(), 'date')} {m} .",
        f"{a} <{s}publisher> {_lit(outlet)} {m} .",
        f"{a} <{s}headline> {_lit(f'Headline of {aid}')} {m} .",
        f"{_iri(article_graph(aid))} <{prov}wasDerivedFrom> {a} {m} .",
        f"{_iri(article_graph(aid))} <{prov}wasGeneratedBy> {run} {m} .",
        f"{run} <{RDF_TYPE}> <{prov}Activity> {m} .",
        f"{run} <{prov}used> {a} {m} .",
        f"{run} <{prov}startedAtTime> {_lit(f'{day.isoformat()}T12:00:00+00:00', 'dateTime')} {m} .",
        f"{run} <{DIP}extractorVersion> {_lit(EXTRACTOR_VERSION)} {m} .",
    )


def article_lines(w: World, i: int, start: dt.date) -> Iterator[str]:
    """The N-Quads of one synthetic article: meta record and its own graph."""
    aid = f"synth-{i:08d}"
    day = start + dt.timedelta(days=i // 300)
    g = article_graph(aid)
    yield from _meta_lines(aid, day, f"outlet{w.rng.randrange(60)}.example")
    actors: set[str] = set()
    for n in range(w.rng.choice((2, 3, 3, 4))):
        if w.events and w.rng.random() < 0.3:  # a later source restating a recent event
            event = w.events[-w.rng.randrange(1, min(len(w.events), 500) + 1)]
        else:
            event = _new_event(w, day)
            w.events.append(event)
        actors.update(a for _, a in event[2])
        yield from _event_lines(w, aid, g, event, n)
    gg = _iri(g)
    if w.rng.random() < 0.3:  # an office holding: a person of the article holds their state's ministry
        person = w.person()
        yield from _tenure_lines(aid, g, person, len(actors))
        actors.add(person[0])
    by_iri = {p[0]: p for p in w.people}
    for actor in sorted(actors):
        if actor in by_iri and "synthetic-" in actor:
            _, label, country = by_iri[actor]
            yield f"{_iri(actor)} <{RDF_TYPE}> <{DIP}Person> {gg} ."
            yield f"{_iri(actor)} <{PREFIXES['rdfs']}label> {_lit(label, lang='en')} {gg} ."
            yield f"{_iri(actor)} <{DIP}country> {_iri(country)} {gg} ."
        yield f"{_iri(actor)} <{DIP}mentionCount> {_lit(w.rng.randrange(1, 5), 'integer')} {gg} ."


def generate(quads: int, seed: int = 7) -> Iterator[str]:
    """N-Quads lines of about `quads` quads of synthetic articles (ontology and catalog not included)."""
    articles = max(1, quads // QUADS_PER_ARTICLE)
    w = make_world(max(50, articles // 4), seed)
    start = dt.date(2024, 1, 1)
    for i in range(articles):
        yield from article_lines(w, i, start)


def build(quads: int, path: Path | None, seed: int = 7):  # type: ignore[no-untyped-def]
    """A store holding the ontology, the catalog and about `quads` quads of synthetic articles."""
    from kg.catalog import load_catalog as catalog
    from kg.ingest import ensure_catalog, ensure_ontology
    from kg.store import open_store

    store = open_store(path)
    ensure_ontology(store)
    ensure_catalog(store, catalog())
    load_lines(store, generate(quads, seed))
    return store


def load_lines(store, lines: Iterator[str], chunk: int = 200_000) -> int:  # type: ignore[no-untyped-def]
    """Bulk-load N-Quads lines into a store, a chunk at a time."""
    import pyoxigraph as ox

    n = 0
    buf: list[str] = []
    for line in itertools.chain(lines, [""]):
        if line:
            buf.append(line)
        if len(buf) >= chunk or (not line and buf):
            store.bulk_load(ox.parse("\n".join(buf).encode(), ox.RdfFormat.N_QUADS))
            n += len(buf)
            buf.clear()
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("quads", type=int, help="about how many quads of articles")
    ap.add_argument("out", help="a store folder to create, or a .nq file to write")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    t0 = time.perf_counter()
    if a.out.endswith(".nq"):
        with open(a.out, "w", encoding="utf-8") as f:
            n = sum(1 for line in generate(a.quads, a.seed) if f.write(line + "\n"))
        print(f"wrote {n:,} quads to {a.out} in {time.perf_counter() - t0:.1f} s")
        return
    store = build(a.quads, Path(a.out), a.seed)
    print(f"{a.out}: {store.count():,} quads in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
