"""Bulk loading of RDF dumps (N-Quads, TriG, N-Triples, Turtle; gzip accepted) through the gate.

A quad format keeps its graphs; triples, and quads of the default graph (which is the merge of the named graphs),
go into one named graph per file (`--graph`, else graph/batch/<file name>). A file is validated whole, as one
delta on the store, and loaded only if it conforms; `--no-validate` streams it in without the gate and says so.
Loading is not one transaction (that is what makes it fast): a load stopped part-way leaves part of the file,
and loading the same file again completes it, since a store holds each quad once.
"""

from __future__ import annotations

import gzip
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from . import formats
from .gate import admit_bulk, load_unchecked
from .merge import batch_graph_for
from .store import Store
from .validate import DEFAULT_ENGINE, Report

CHUNK = 100_000  # quads read, validated or written between two progress reports
Progress = Callable[[int], None]


class LoadError(ValueError):
    """A file that cannot be loaded; the message names it (and the line and column of a syntax error)."""


@dataclass
class LoadResult:
    path: Path
    quads: int
    loaded: bool
    validated: bool
    report: Report | None = None


def file_format(path: Path, given: str | None = None) -> ox.RdfFormat:
    """The RDF format of a dump: `given` (a short name or media type), else its extension (under any .gz)."""
    if given:
        fmt = formats.RDF.get(formats.media_type(given))
        if fmt is None:
            raise LoadError(f"{path}: unknown format {given!r} (use nquads, trig, ntriples or turtle)")
        return fmt
    suffix = Path(path.stem).suffix if path.suffix.lower() == ".gz" else path.suffix
    fmt = formats.rdf_format_of_file(suffix)
    if fmt is None:
        raise LoadError(f"{path}: cannot tell the format from {suffix or 'no extension'!r}: name it with --format")
    return fmt


def _open(path: Path) -> IO[bytes]:
    try:
        if path.suffix.lower() == ".gz":
            return cast(IO[bytes], gzip.GzipFile(path, "rb"))  # a binary file, which typeshed types apart
        return path.open("rb")
    except OSError as e:
        raise LoadError(f"{path}: cannot read: {e.strerror}") from None


def read_quads(path: Path, fmt: ox.RdfFormat, graph: str) -> Iterator[ox.Quad]:
    """The file's quads, streamed; triples and default-graph quads into `graph`. Errors name the file and line."""
    target = ox.NamedNode(graph)
    with _open(path) as stream:
        try:
            for q in ox.parse(stream, fmt):
                if isinstance(q.graph_name, ox.DefaultGraph):
                    q = ox.Quad(q.subject, q.predicate, q.object, target)
                yield q
        except SyntaxError as e:
            raise LoadError(f"{path}: {formats.syntax_position(e)}: {e.msg}") from None
        except (OSError, EOFError) as e:  # a truncated or corrupt gzip stream
            raise LoadError(f"{path}: cannot read: {e}") from None


def _chunks(quads: Iterable[ox.Quad], progress: Progress | None) -> Iterator[list[ox.Quad]]:
    it = iter(quads)
    while chunk := list(itertools.islice(it, CHUNK)):
        if progress:
            progress(len(chunk))
        yield chunk


def load_file(store: Store, path: Path, fmt: str | None = None, graph: str | None = None, validate: bool = True,
              progress: Progress | None = None, engine: str = DEFAULT_ENGINE) -> LoadResult:
    """Load one dump: validated whole and loaded only if it conforms, or (validate=False) streamed in unchecked."""
    quads = read_quads(path, file_format(path, fmt), graph or batch_graph_for(path))
    if not validate:
        n = 0
        for chunk in _chunks(quads, progress):
            load_unchecked(store, chunk)
            n += len(chunk)
        return LoadResult(path, n, True, False)
    everything = [q for chunk in _chunks(quads, progress) for q in chunk]
    report = admit_bulk(store, everything, engine)
    return LoadResult(path, len(everything), report.conforms, True, report)
