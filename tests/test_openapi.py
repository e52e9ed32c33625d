"""The OpenAPI description: every operation has its own id, so client generators and /docs can tell them apart."""

from __future__ import annotations

import warnings
from pathlib import Path

from kg.server import Settings, create_app


def test_every_operation_has_a_unique_id(tmp_path: Path) -> None:
    app = create_app(Settings(store=tmp_path / "store", workers=1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FastAPI warns about duplicate operation ids
        spec = app.openapi()
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert {"get", "put", "post", "delete", "head"} <= set(spec["paths"]["/rdf-graphs"])
