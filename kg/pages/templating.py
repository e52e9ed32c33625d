"""The page templates (kg/pages/templates/, Jinja2 with autoescaping: article text is untrusted)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..names import SITE
from .views import local, short


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("kg.pages", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["local"] = local
    env.globals["site"] = SITE.get  # the server's root ('/' or the --base URL) for the site's own links
    env.filters["short"] = short
    return env


def render(template: str, **context: Any) -> str:
    """A page from its template and content."""
    return environment().get_template(template).render(**context)
