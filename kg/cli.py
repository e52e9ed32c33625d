"""The `kg` command line."""

from __future__ import annotations

import contextlib
import getpass
import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.table import Table
from typer.core import TyperGroup

from .cli_output import CliProgress, console, err
from .names import Term
from .store import DEFAULT_PATH, Store, WriteBatch, open_store, release_unused_stores, remote_url


class PlainHelpGroup(TyperGroup):
    """Help that names an option's value (SECONDS, PATH) instead of a Python type (<float>, <list[Path]>)."""

    def get_command(self, ctx, cmd_name):
        command = super().get_command(ctx, cmd_name)
        for param in command.get_params(ctx) if command is not None else []:
            # typer carries its own copy of click: its classes are recognised by what they are, not imported
            descriptor = getattr(param, "type_descriptor", None)
            if param.param_type_name == "option" and param.metavar is None \
                    and not getattr(descriptor, "is_choice", False):
                param.metavar = "" if getattr(param, "is_flag", False) else (param.name or "value").upper()
            elif param.param_type_name == "argument" and hasattr(param, "display_type_rich"):
                param.display_type_rich = lambda ctx: None  # the argument's name says enough
        return command


app = typer.Typer(help="diplograph: a knowledge graph of diplomatic events built from news articles.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, cls=PlainHelpGroup)

StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="Store folder, or the query endpoint URL of a remote "
                                        "SPARQL store.", envvar="DIPLOGRAPH_STORE")]


def read_store(path: Path) -> Store:
    """The store at `path` for reading (a URL: a remote SPARQL store); exit 2 naming the path when there is none."""
    if remote_url(path):
        return open_store(path)
    require_store(path)
    try:
        return open_store(path, read_only=True)
    except OSError:  # a store this process wrote and has not released yet
        release_unused_stores()
        return open_store(path, read_only=True)


def term_text(t: Term | None) -> str:
    if t is None:
        return ""
    return t.value if hasattr(t, "value") else str(t)


@app.command()
def ingest(paths: Annotated[list[str], typer.Argument(help="Article files or folders, or http(s) URLs of news "
                                                     "pages.")],
           full_paths: Annotated[bool, typer.Option("--full-paths", help="Record each file's absolute path in "
                                                    "the provenance (default: relative to the folder named).")]
           = False,
           store: StoreOpt = DEFAULT_PATH) -> None:
    """Read articles, extract events and write them into the store (whole articles, in transactions).
    Articles already stored as they are are left alone and counted as unchanged."""
    from .ingest import ingest as run_ingest

    with open_store(store) as s, CliProgress("articles") as progress:
        results = run_ingest(s, paths, progress=progress, full_paths=full_paths)
        total = s.count()
    _print_ingest_summary(results, total)
    if any(r.status in ("error", "refused") for r in results):
        raise typer.Exit(1)


def _print_ingest_summary(results: list, total: int) -> None:
    by: dict[str, list] = {}
    for r in results:
        by.setdefault(r.status, []).append(r)
    for r in by.get("unsupported", []):
        err.print(f"[yellow]warning[/yellow]: {r.message}", highlight=False)
    for r in by.get("duplicate", []):
        err.print(f"[yellow]duplicate[/yellow]: {r.message}", highlight=False)
    for r in by.get("error", []) + by.get("refused", []):
        err.print(f"[red]{r.status}[/red]: {r.message}", highlight=False)
    done = by.get("ingested", [])
    failed = len(by.get("error", [])) + len(by.get("refused", []))
    parts = [f"ingested {len(done)} article(s), {sum(r.events for r in done)} event claim(s)",
             f"{len(by.get('unchanged', []))} unchanged"]
    if by.get("duplicate"):
        parts.append(f"{len(by['duplicate'])} duplicate(s) of stored pages")
    if by.get("unsupported"):
        parts.append(f"{len(by['unsupported'])} in an unsupported language (stored without events)")
    parts.append(f"{failed} refused or unreadable")
    console.print("; ".join(parts) + f"; store holds {total} quads", highlight=False)


@app.command()
def query(query_text: Annotated[str, typer.Argument(metavar="QUERY-or-FILE", help="SPARQL text, a .rq file, or the "
                                                    "name of a named query (see `kg queries`).")],
          fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table, json, csv or tsv "
                                           "(SELECT); table or json (ASK); turtle, ntriples, jsonld or rdfxml "
                                           "(CONSTRUCT, DESCRIBE). Default: table, or turtle for a graph.")]
          = "",
          params: Annotated[list[str] | None, typer.Option("--param", "-p", metavar="NAME=VALUE", help="A named "
                            "query's parameter; IRIs may be short ids (person/gustavo-petro) or catalog labels.")]
          = None,
          timeout: Annotated[float, typer.Option(metavar="SECONDS", help="Stop the query after this long.")] = 60.0,
          store: StoreOpt = DEFAULT_PATH) -> None:
    """Run a SPARQL query over the union of all graphs (the project's prefixes are declared for you)."""
    from . import cli_query as cq
    from .sparql_errors import explain

    try:
        prepared = cq.prepare(query_text, params or [])
        form, first_failure = cq.query_form(prepared.sparql)
        fmt = fmt or ("turtle" if form in ("CONSTRUCT", "DESCRIBE") else "table")
        cq.check_format(fmt, form)
    except cq.QueryInputError as e:
        err.print(f"[red]error[/red]: {e}", highlight=False)
        raise typer.Exit(2) from None
    outcome = cq.run_with_timeout(store if remote_url(store) else require_store(store), prepared.sparql, timeout)
    if outcome is None:
        err.print(f"error: the query was stopped after {timeout:g} seconds (--timeout); narrow it or add a LIMIT",
                  highlight=False, markup=False)
        raise typer.Exit(1)
    if outcome.kind == "syntax":
        problem = explain(outcome.body.decode("utf-8"), prepared.text, prepared.hidden_lines, first_failure)
        err.print("invalid SPARQL: " + problem.render(prepared.source), highlight=False, markup=False)
        raise typer.Exit(2)
    if outcome.kind == "failed":
        err.print(f"error: the query failed: {outcome.body.decode('utf-8')}", highlight=False, markup=False)
        raise typer.Exit(1)
    _print_query_result(outcome, fmt)


def _print_query_result(outcome, fmt: str) -> None:
    from . import cli_query as cq

    if outcome.kind == "graph":
        triples = [q.triple for q in ox.parse(outcome.body, format=ox.RdfFormat.N_QUADS)]
        sys.stdout.write(outcome.body.decode("utf-8") if fmt == "ntriples" else cq.graph_text(triples, fmt))
        return
    result = ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.JSON)
    if isinstance(result, ox.QueryBoolean):
        console.print("true" if bool(result) else "false")
        return
    names, rows, text = cq.rows_text(result, fmt)
    if text is not None:
        sys.stdout.write(text)
        return
    table = Table(*names, show_lines=False)
    for r in rows:
        table.add_row(*[cq.compact(t) for t in r])
    console.print(table)
    console.print(f"{len(rows)} row(s)")


def is_store(path: Path) -> bool:
    """True when `path` is a folder holding a store (RocksDB writes CURRENT when it creates one)."""
    return path.is_dir() and (path / "CURRENT").is_file()


def require_store(path: Path) -> Path:
    """`path` when it holds a store; otherwise exit 2 naming it (reading commands never create one)."""
    if not is_store(path):
        what = "does not exist" if not path.exists() else "holds no store"
        err.print(f"error: {path} {what} (create a store with `kg ingest` or `kg merge`; "
                  "choose another with --store or DIPLOGRAPH_STORE)", highlight=False, markup=False)
        raise typer.Exit(2)
    return path


@app.command()
def stats(store: StoreOpt = DEFAULT_PATH) -> None:
    """Counts: quads, articles, events, actors, and quads per graph kind."""
    s = read_store(store)
    rows = s.select("""
        SELECT (COUNT(DISTINCT ?a) AS ?articles) (COUNT(DISTINCT ?e) AS ?events) (COUNT(DISTINCT ?x) AS ?actors)
        WHERE { { ?a a schema:NewsArticle } UNION { ?e a/rdfs:subClassOf* dip:Event }
                UNION { ?x a/rdfs:subClassOf* dip:Actor } }""")
    table = Table("what", "count")
    table.add_row("quads", str(s.count()))
    table.add_row("named graphs", str(len(s.graphs())))
    for key in ("articles", "events", "actors"):
        table.add_row(key, term_text(rows[0][key]) if rows else "0")
    for kind, count in sorted(_quads_per_graph_kind(s).items()):
        table.add_row(f"quads in {kind} graphs", str(count))
    console.print(table)


def _quads_per_graph_kind(s: Store) -> dict[str, int]:
    """Quads per kind of named graph: the first path segment after graph/ (article, batch, meta, ontology ...)."""
    from .names import GRAPH

    kinds: dict[str, int] = {}
    for r in s.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        g = term_text(r["g"])
        kind = g[len(GRAPH):].split("/", 1)[0] if g.startswith(GRAPH) else "other"
        kinds[kind] = kinds.get(kind, 0) + int(term_text(r["n"]) or 0)
    return kinds


@app.command()
def reason(data: Annotated[list[Path] | None, typer.Option("--data", help="Extra RDF files to check with "
                                                           "the ontology.")] = None) -> None:
    """Check the ontology (and optional data) for consistency with the HermiT reasoner (needs Java).
    Exit 0 consistent, 1 inconsistent or unsatisfiable classes, 2 when the check cannot run."""
    from .reason import ReasonError, check

    try:
        report = check(data or [])
    except ReasonError as e:
        err.print(f"error: {e}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    if not report.consistent:
        err.print(f"[red]inconsistent[/red]: {report.message}", highlight=False)
        raise typer.Exit(1)
    if report.unsatisfiable:
        err.print("[red]unsatisfiable classes[/red]:\n  " + "\n  ".join(report.unsatisfiable), highlight=False)
        raise typer.Exit(1)
    console.print(f"consistent: {report.triples} triples, no unsatisfiable classes")


@app.command()
def serve(host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port.")] = 8000,
          store: StoreOpt = DEFAULT_PATH,
          token: Annotated[str | None, typer.Option(help="Write token (none: read-only).",
                                                    envvar="DIPLOGRAPH_TOKEN")] = None,
          timeout: Annotated[float, typer.Option(help="Query timeout in seconds.")] = 10.0,
          allow_service: Annotated[list[str] | None, typer.Option("--allow-service", help="An endpoint URL that "
                                   "SERVICE and LOAD may fetch (repeatable); none by default.")] = None,
          workers: Annotated[int, typer.Option(help="Worker processes (each runs one request at a time; when all "
                                               "are busy, requests get 503 with Retry-After).")] = 6,
          allow_drop_all: Annotated[bool, typer.Option(help="Allow DROP/CLEAR ALL and NAMED (off: 403).")] = False,
          max_request_bytes: Annotated[int, typer.Option(help="Largest request body.")] = 20_000_000,
          max_depth: Annotated[int, typer.Option(help="Deepest bracket nesting of a SPARQL request.")] = 64,
          wikidata_endpoint: Annotated[str, typer.Option(help="Where named queries marked 'service: wikidata' send "
                                                         "their SERVICE calls (a mirror, or a test fixture).")]
          = "https://query.wikidata.org/sparql",
          base: Annotated[str | None, typer.Option(help="The public URL of the server's root behind a proxy "
                                                   "(e.g. https://example.org/diplograph/): the project's IRIs "
                                                   "(https://w3id.org/diplograph/id/...) map to BASE/id/..., pages "
                                                   "link there, and paths with or without the base's path "
                                                   "prefix are served.")] = None,
          create: Annotated[bool, typer.Option("--create", help="Create an empty store if there is none.")] = False,
          access_log: Annotated[bool, typer.Option("--access-log/--no-access-log", help="Log each request "
                                                   "(client, method, path, status) on stderr.")] = True) -> None:
    """Serve the store over the SPARQL 1.1 Protocol (read-only unless --token is given)."""
    import uvicorn

    from .server import Settings, create_app
    from .store.served import local_url, new_token, serving

    url = remote_url(store)
    if not create and url is None:
        require_store(store)
    try:
        settings = Settings(store=url or store, token=token, timeout=timeout, allow_service=allow_service or [],
                            workers=workers, wikidata_endpoint=wikidata_endpoint, allow_drop_all=allow_drop_all,
                            max_request_bytes=max_request_bytes, max_depth=max_depth, base=base)
    except ValueError as e:
        err.print(f"[red]error[/red]: {e}", highlight=False)
        raise typer.Exit(2) from None
    sock = _listen(host, port)  # before anything says "serving": a port in use is reported, not logged later
    settings.local_token = new_token()
    application = create_app(settings)
    config = uvicorn.Config(application, log_level="warning", access_log=access_log)
    if access_log:
        import logging

        logging.getLogger("uvicorn.access").setLevel(logging.INFO)
    console.print(f"serving {url or store} on http://{host}:{sock.getsockname()[1]}/ (SPARQL at /sparql)")
    # Commands reach a remote store directly: no note is left beside it.
    note = serving(Path(store), local_url(host, sock.getsockname()[1]), settings.local_token) if url is None \
        else contextlib.nullcontext()
    with note:
        uvicorn.Server(config).run(sockets=[sock])


def _listen(host: str, port: int):
    """A listening socket on host:port, or exit 2 saying why there can be none."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP spelled out: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say they are TCP, and
    # with Nagle on, every answer on a kept-alive connection waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as e:
        sock.close()
        reason = "is in use (is another server running? choose another with --port)" if e.errno == 98 \
            else f"cannot be opened: {e.strerror}"
        err.print(f"error: port {port} on {host} {reason}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    return sock




def print_report(report, fmt: str) -> None:
    """A validation report as a table (with the source sentence of each focus node), Turtle or JSON-LD."""
    from .merge import report_jsonld, report_turtle

    if fmt in ("turtle", "ttl"):
        sys.stdout.write(report_turtle(report))
        return
    if fmt in ("json-ld", "jsonld"):
        sys.stdout.write(report_jsonld(report))
        return
    if report.results:
        table = Table("severity", "focus node", "path", "value", "message", "source sentence", show_lines=True)
        for r in report.results:
            colour = "red" if r.severity == "Violation" else "yellow"
            table.add_row(f"[{colour}]{r.severity}[/{colour}]", r.focus.rsplit("/id/", 1)[-1], r.path,
                          r.value[:60], r.message, r.sentence[:160])
        console.print(table)
    verdict = "conforms" if report.conforms else "does NOT conform"
    console.print(f"{verdict}: {len(report.violations)} violation(s), {len(report.warnings)} warning(s)")


class ReportFormat(StrEnum):
    table = "table"
    turtle = "turtle"
    jsonld = "json-ld"


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="RDF files: .ttl .trig .nt .nq .jsonld .rdf")],
             fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="A table, or the SHACL validation "
                                                       "report as Turtle or JSON-LD.")] = ReportFormat.table,
             engine: Annotated[str, typer.Option(help="turbo (pyshacl-turbo) or pyshacl")] = "turbo",
             store: StoreOpt = DEFAULT_PATH) -> None:
    """Validate batches against the shapes, as deltas on the store. Exit 0 conforms, 1 violations, 2 unreadable."""
    from .merge import batch_graph_for
    from .validate import BatchError, read_batch, validate_batch

    s = read_store(store)
    worst = 0
    for f in files:
        try:
            quads = read_batch(f, batch_graph_for(f))
        except BatchError as e:
            err.print(f"[red]error[/red]: {e}", highlight=False)
            worst = 2
            continue
        report = validate_batch(s, quads, engine)
        if len(files) > 1 and fmt == "table":
            console.print(f"[bold]{f}[/bold]")
        print_report(report, fmt)
        if not report.conforms:
            worst = max(worst, 1)
    raise typer.Exit(worst)


@app.command()
def load(files: Annotated[list[Path], typer.Argument(help="RDF dumps: .nq, .trig, .nt, .ttl (each may be .gz).")],
         fmt: Annotated[str | None, typer.Option("--format", "-f", help="The files' format when their names do not "
                                                 "say (nquads, trig, ntriples, turtle).")] = None,
         graph: Annotated[str | None, typer.Option(help="Named graph for triples (default: graph/batch/<file "
                                                   "name>); quads keep their own graphs.")] = None,
         no_validate: Annotated[bool, typer.Option("--no-validate", help="Load without the SHACL gate (say so "
                                                   "loudly; for trusted dumps too big to validate whole).")] = False,
         engine: Annotated[str, typer.Option(help="turbo (pyshacl-turbo) or pyshacl")] = "turbo",
         store: StoreOpt = DEFAULT_PATH) -> None:
    """Bulk-load large RDF dumps. Each file is validated whole as one delta and loaded only if it conforms (no
    transaction: a load stopped part-way is completed by loading the file again)."""
    from .load import LoadError, load_file

    if no_validate:
        err.print("[yellow]warning[/yellow]: --no-validate: these files go in WITHOUT the SHACL gate; nothing checks "
                  "their events, actors or provenance", highlight=False)
    refused = 0
    with open_store(store) as s, CliProgress("quads") as progress:
        for path in files:
            progress.start(f"loading {path.name}", None)
            try:
                result = load_file(s, path, fmt, graph, not no_validate, progress.advance, engine)
            except LoadError as e:
                err.print(f"[red]error[/red]: {e}", highlight=False)
                raise typer.Exit(2) from None
            if result.loaded:
                console.print(f"{path}: {result.quads} quads loaded"
                              + ("" if result.validated else " (not validated)"), highlight=False)
            else:
                assert result.report is not None
                print_report(result.report, "table")
                err.print(f"[red]refused[/red]: nothing of {path} was loaded", highlight=False)
                refused += 1
    if refused:
        raise typer.Exit(1)


@app.command()
def merge(file: Annotated[Path, typer.Argument(help="An RDF file to add to the graph.")],
          graph: Annotated[str | None, typer.Option(help="Named graph IRI (default: graph/batch/<file name>).")]
          = None,
          agent: Annotated[str | None, typer.Option(help="Who merges (default: the user name).")] = None,
          engine: Annotated[str, typer.Option(help="turbo (pyshacl-turbo) or pyshacl")] = "turbo",
          full_paths: Annotated[bool, typer.Option("--full-paths", help="Record the file's absolute path in the "
                                                   "provenance (default: relative, or its name).")] = False,
          store: StoreOpt = DEFAULT_PATH) -> None:
    """Validate a batch and, if it conforms, write it into one named graph in one transaction (with PROV).
    Merging the same batch again changes nothing: it is the same activity, with its first start time."""
    from .merge import merge_file
    from .validate import BatchError

    try:
        with open_store(store) as s:
            result = merge_file(s, file, graph, agent, engine, full_paths)
    except BatchError as e:
        err.print(f"[red]error[/red]: {e}", highlight=False)
        raise typer.Exit(2) from None
    print_report(result.report, "table")
    if not result.merged:
        err.print(f"[red]refused[/red]: nothing of {file} was written", highlight=False)
        raise typer.Exit(1)
    console.print(f"merged {result.quads} triples into <{result.graph}>", highlight=False)


@app.command()
def link(endpoint: Annotated[str, typer.Option(help="SPARQL endpoint to look candidates up on.")] =
         "https://query.wikidata.org/sparql",
         review: Annotated[bool, typer.Option("--review", help="List the ambiguous candidates and stop.")] = False,
         accept: Annotated[tuple[str, str] | None, typer.Option("--accept", metavar="ACTOR QID",
                           help="Record a reviewer's decision: link ACTOR (IRI or id) to QID.")] = None,
         cache: Annotated[Path | None, typer.Option(help="Lookup cache folder (default: beside the store).")] = None,
         rate: Annotated[float | None, typer.Option(help="Seconds between requests (default 1 for Wikidata).")]
         = None,
         store: StoreOpt = DEFAULT_PATH) -> None:
    """Link actors without a Wikidata link: look up candidates, link the clear ones, list the rest for review."""
    require_store(store)
    with open_store(store) as s:
        if accept is not None:
            code = _accept_link(s, *accept)
        elif review:
            code = _review_links(s)
        else:
            cache_dir = cache or Path(store).resolve().parent / ".diplograph-cache" / "wikidata"
            code = _look_up_links(s, endpoint, cache_dir, rate)
    raise typer.Exit(code)


def _admit_links(s: Store, quads: list[ox.Quad], what: str) -> bool:
    """Write links through the gate; a refusal prints the report and says nothing was written."""
    from .gate import admit

    report = admit(s, WriteBatch(insert=quads))
    if not report.conforms:
        print_report(report, "table")
        err.print(f"[red]refused[/red]: {what} not written", highlight=False)
    return report.conforms


def _accept_link(s: Store, actor_id: str, qid: str) -> int:
    """A reviewer's decision: link one actor (IRI or id) to one Wikidata item."""
    from . import wikidata as wd

    if not re.fullmatch(r"Q[1-9][0-9]*", qid):
        err.print(f"[red]error[/red]: {qid!r} is not a Wikidata item id (Q followed by digits)")
        return 2
    iri = actor_id if actor_id.startswith("http") else next(
        (a.iri for a in wd.unlinked_actors(s) if a.iri.rsplit("/", 1)[-1] == actor_id), "")
    if not iri:
        err.print(f"[red]error[/red]: no unlinked actor {actor_id!r}")
        return 2
    if not _admit_links(s, wd.link_quads(iri, qid, "review", f"decision by {getpass.getuser()}"),
                        f"the link of <{iri}> to {qid} was"):
        return 1
    console.print(f"linked <{iri}> to {qid} (review)", highlight=False)
    return 0


def _review_links(s: Store) -> int:
    from . import wikidata as wd

    rows = wd.review_rows(s)
    table = Table("actor", "candidate", "label", "description", "score")
    for r in rows:
        table.add_row(r["actor"].rsplit("/id/", 1)[-1], r["qid"], r["label"], r["description"], str(r["score"]))
    console.print(table if rows else "nothing to review")
    return 0


# Words that open a description of unnamed people ('two Russian diplomats'), never a name.
_QUANTIFIERS = {"a", "an", "two", "three", "four", "five", "six", "several", "some", "many", "few", "dozens",
                "hundreds", "thousands", "other", "unnamed"}


def names_someone(label: str) -> bool:
    """True when a label is a proper name worth looking up, not a description of unnamed actors."""
    first = label.split()[0] if label.split() else ""
    return bool(first) and first[0].isupper() and first.lower() not in _QUANTIFIERS and not first[0].isdigit()


def _look_up_links(s: Store, endpoint: str, cache: Path, rate: float | None) -> int:
    """Look every unlinked actor up: link the clear ones, keep the ambiguous ones for review."""
    from . import wikidata as wd

    lookup = wd.Lookup(endpoint, cache, rate)
    linked = ambiguous = 0
    quads: list[ox.Quad] = []
    actors = [a for a in wd.unlinked_actors(s) if names_someone(a.label)]
    with CliProgress("lookups") as progress:
        progress.start("looking up", len(actors))
        for actor in actors:
            try:
                decision = wd.decide(actor, wd.candidates(lookup, actor))
            except wd.LookupError_ as e:
                err.print(f"[red]error[/red]: {e}", highlight=False)
                return 1
            progress.advance()
            if decision.status == "linked" and decision.chosen is not None:
                quads += wd.link_quads(actor.iri, decision.chosen.qid, "lookup", endpoint,
                                       f"{decision.chosen.label}: {decision.chosen.description}")
                linked += 1
            elif decision.status == "ambiguous":
                quads += wd.review_quads(decision, endpoint)
                ambiguous += 1
    if not _admit_links(s, quads, "the links found were"):
        return 1
    console.print(f"linked {linked} actor(s); {ambiguous} ambiguous (see `kg link --review`); "
                  f"{lookup.requests} request(s) to {endpoint}", highlight=False)
    return 0


class ExportTable(StrEnum):
    events = "events"
    entities = "entities"


class TableFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"


@app.command()
def export(what: Annotated[ExportTable, typer.Argument(help="The event table or the entity table.")],
           fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="JSON lines (nested records), or a flat "
                                                    "CSV or TSV table (columns listed in the README).")]
           = TableFormat.jsonl,
           store: StoreOpt = DEFAULT_PATH) -> None:
    """Export the event table (one record per event, with all its sources, CAMEO/PLOVER codes and ISO 3166
    country codes) or the entity table."""
    from . import export as ex

    s = read_store(store)
    records: list[ex.EventRecord] | list[ex.EntityRecord]
    if what is ExportTable.events:
        records = events = ex.events(s)
        rows, columns = ex.event_rows(events), ex.EVENT_COLUMNS
    else:
        records = ex.entities(s)
        rows, columns = [r.to_json() for r in records], ex.ENTITY_COLUMNS
    if fmt is TableFormat.jsonl:
        sys.stdout.write(ex.to_jsonl(records))
    else:
        sys.stdout.write(ex.to_table(rows, columns, "," if fmt is TableFormat.csv else "\t"))


@app.command("queries")
def list_queries() -> None:
    """List the named queries of queries/ with their parameters."""
    from .queries import load_queries

    table = Table("name", "title", "parameters")
    for q in load_queries().values():
        table.add_row(q.name, q.title, ", ".join(f"{p.name} ({p.type}, default {p.default!r})" for p in q.params))
    console.print(table)


@app.command("eval")
def eval_(articles: Annotated[list[Path], typer.Argument(help="Article files or folders.")],
          gold: Annotated[Path, typer.Option("--gold", help="Folder of gold YAML files.")],
          reference: Annotated[Path | None, typer.Option(
              "--reference", help="Reference TSV of Wikidata ids (label, qid, kind, aliases) for matching actors.")]
          = None,
          as_json: Annotated[bool, typer.Option("--json", help="The overall figures as one JSON object.")] = False,
          verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List misses and false positives.")] = False,
          ) -> None:
    """Extract the articles (in memory) and score the events against gold: P, R, F1, date and modality accuracy,
    by the matching rules of the reference scorer (EVALUATION.md)."""
    from . import eval as ev
    from .export import events
    from .ingest import ingest as run_ingest
    from .ingest import read_all

    golds = [ev.load_gold(p) for p in sorted(gold.glob("*.yaml"))]
    if not golds:
        err.print(f"[red]error[/red]: no gold *.yaml files in {gold}")
        raise typer.Exit(2)
    if reference is not None and not reference.is_file():
        err.print(f"[red]error[/red]: reference table {reference} does not exist")
        raise typer.Exit(2)
    store = open_store(None)
    for r in run_ingest(store, articles):
        if r.status != "ingested":
            err.print(f"[red]{r.status}[/red]: {r.message}", highlight=False)
    read, _ = read_all(articles)
    bodies = {Path(a.path).stem: a.body for a in read}
    scores = ev.score(bodies, golds, [e.to_json() for e in events(store)], ev.load_reference(reference))
    overall = ev.total(scores)
    if as_json:
        sys.stdout.write(json.dumps({**overall.figures(), "tp": overall.tp, "fp": overall.fp,
                                     "required": overall.required}) + "\n")
        return
    _print_scores(scores, overall)
    if verbose:
        for s in scores:
            _print_errors(s)


def _print_scores(scores: list, overall) -> None:
    table = Table("article", "TP", "FP", "req", "precision", "recall", "F1", "date acc", "modality acc")
    for s in [*scores, overall]:
        table.add_row(s.article, str(s.tp), str(s.fp), str(s.required), f"{s.precision:.3f}", f"{s.recall:.3f}",
                      f"{s.f1:.3f}", f"{s.date_accuracy:.3f} ({s.date_ok}/{s.date_n})",
                      f"{s.modality_accuracy:.3f} ({s.modality_ok}/{s.tp})",
                      style="bold" if s is overall else None)
    console.print(table)
    console.print(f"P={overall.precision} R={overall.recall} F1={overall.f1} date_acc={overall.date_accuracy} "
                  f"modality_acc={overall.modality_accuracy}", highlight=False)


def _print_errors(s) -> None:
    for g in s.missed:
        console.print(f"[yellow]{s.article} missed[/yellow] {g['type']} {_gold_actor_text(g)} "
                      f"| {(g.get('evidence') or '')[:90]}", highlight=False)
    for e in s.false_positives:
        actors = [a["label"] for a in ([*e["participants"], e["agent"]] +
                  (e["target"] if isinstance(e["target"], list) else [e["target"]])) if a]
        console.print(f"[red]{s.article} false positive[/red] {e['type']} {actors} "
                      f"| {e['_evidence'][:90]}", highlight=False)
    for t, g, m in s.wrong_dates:
        console.print(f"[magenta]{s.article} date[/magenta] {t}: gold {g}, got {m}", highlight=False)
    for t, g, m in s.wrong_modalities:
        console.print(f"[magenta]{s.article} modality[/magenta] {t}: gold {g}, got {m}", highlight=False)


def _gold_actor_text(g: dict) -> str:
    return str({k: g.get(k) for k in ("participants", "agent", "target") if g.get(k)})


from .cli_journal import register as _register_journal  # noqa: E402 - commands join the app defined above

_register_journal(app, DEFAULT_PATH)


def main() -> None:
    """The `kg` command. A remote store that refuses or drops a request ends it with the remote's own words, not a
    traceback."""
    from .store.remote import RemoteStoreError

    try:
        app()
    except RemoteStoreError as e:
        err.print(f"error: the remote store: {e}", highlight=False, markup=False)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
