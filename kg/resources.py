"""Where the project's own files are: ontology/, shapes/, queries/ and data/.

In a checkout they sit at the top of the repository (the design card's layout); an installed wheel carries
copies under the package (kg/_resources, put there by setup.py at build time). Both are found the same way.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

RESOURCES = ("ontology", "shapes", "queries", "data")


@cache
def resource_dir(name: str) -> Path:
    """The folder of one resource kind, inside the installed package or else in the checkout."""
    if name not in RESOURCES:
        raise ValueError(f"unknown resource folder {name!r}; expected one of {', '.join(RESOURCES)}")
    packaged = Path(str(files("kg") / "_resources" / name))
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"the {name}/ folder is missing: neither {packaged} nor {checkout} exists "
                            "(reinstall diplograph, or run from a checkout)")


def resource_path(name: str, *parts: str) -> Path:
    """A file inside one resource folder, e.g. resource_path('ontology', 'event-types.ttl')."""
    return resource_dir(name).joinpath(*parts)
