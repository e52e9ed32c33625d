"""The gate: the one door through which a batch of quads enters the store.

A batch is validated as a delta on the store (the shapes of shapes/, the batch plus its neighbourhood); only a
batch that conforms is written, in the store's transactional write. What does not conform leaves the store as
it was and comes back as a report.
"""

from __future__ import annotations

import pyoxigraph as ox

from .store import Store, WriteBatch
from .validate import DEFAULT_ENGINE, Report, validate_batch


def admit(store: Store, batch: WriteBatch, engine: str = DEFAULT_ENGINE) -> Report:
    """Validate what `batch` inserts; write the whole batch in one transaction only if it conforms."""
    report = validate_batch(store, batch.insert, engine)
    if report.conforms:
        store.write(batch)
        store.flush()
    return report


def admit_bulk(store: Store, quads: list[ox.Quad], engine: str = DEFAULT_ENGINE) -> Report:
    """Validate a whole dump as one delta; bulk-load it only if it conforms (fast, but not one transaction)."""
    report = validate_batch(store, quads, engine)
    if report.conforms:
        store.bulk_load(quads)
        store.flush()
    return report


def load_unchecked(store: Store, quads: list[ox.Quad]) -> None:
    """Bulk-load quads past validation: only for `kg load --no-validate`, which says so loudly."""
    store.bulk_load(quads)
