"""`kg ingest URL`: fetch one news page over HTTP(S) with a time limit, a size cap and an honest User-Agent,
then read it as an HTML article (trafilatura takes the main text and the metadata)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

from . import __version__
from .articles import Article, ArticleError, parse_html
from .names import BASE

TIMEOUT = 20.0  # seconds to connect and for each read
MAX_BYTES = 5_000_000
USER_AGENT = f"diplograph/{__version__} (news event extraction; +{BASE})"
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


def fetch_article(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Article:
    """The article at `url`; ArticleError naming the URL when it cannot be fetched or holds no article text."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked
            media = response.headers.get_content_type()
            if media not in ("text/html", "application/xhtml+xml"):
                raise ArticleError(url, f"the server sent {media}, not an HTML page")
            body = response.read(max_bytes + 1)
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as e:
        raise ArticleError(url, f"the server answered {e.code} {e.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise ArticleError(url, f"cannot fetch: {reason}") from None
    if len(body) > max_bytes:
        raise ArticleError(url, f"the page is over the {max_bytes}-byte limit")
    article = parse_html(body.decode(charset, errors="replace"), url)
    article.url = article.url or url
    article.location = url
    return article
