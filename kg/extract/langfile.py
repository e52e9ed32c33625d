"""A language's data files (kg/lang/<code>/<name>.yaml): where they are read from, and their YAML."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


def read(lang: str, name: str) -> tuple[str, str]:
    """(the file's name as errors give it, its text) of kg/lang/<lang>/<name>."""
    return f"kg/lang/{lang}/{name}", resources.files("kg").joinpath("lang", lang, name).read_text(encoding="utf-8")


def parse(source: str, text: str, error: type[ValueError]) -> Any:
    """The YAML of a language file; `error` naming the file when it is not YAML."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise error(f"{source}: not YAML ({e})") from None
