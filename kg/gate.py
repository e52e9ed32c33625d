"""The gate: the one door through which a batch of quads enters the store.

A batch is validated as a delta on the store (the shapes of shapes/, the batch plus its neighbourhood); only a
batch that conforms is written, in the store's transactional write. What does not conform leaves the store as
it was and comes back as a report.
"""

from __future__ import annotations

from .store import Store, WriteBatch
from .validate import DEFAULT_ENGINE, Report, validate_batch


def admit(store: Store, batch: WriteBatch, engine: str = DEFAULT_ENGINE) -> Report:
    """Validate what `batch` inserts; write the whole batch in one transaction only if it conforms."""
    report = validate_batch(store, batch.insert, engine)
    if report.conforms:
        store.write(batch)
        store.flush()
    return report
