"""Markdown of articles to safe HTML: markdown-it-py (CommonMark, raw HTML off) renders, and
nh3 keeps only the tags and attributes an article needs, whatever the author typed. Links
get rel="noopener noreferrer"; only http(s), mailto and tel links (and relative ones) stay."""

from __future__ import annotations

import html as html_lib
import re

import nh3
from markdown_it import MarkdownIt

TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# "js-default": CommonMark without raw HTML and with links checked by markdown-it itself.
_md = MarkdownIt("js-default", {"breaks": False, "linkify": False, "typographer": False})
_md.enable("table").enable("strikethrough")


def _demote_h1(html: str) -> str:
    # The page's title is the only <h1>: a "# heading" in the text becomes an <h2>.
    return re.sub(r"<(/?)h1>", r"<\1h2>", html)


def render(text: str) -> str:
    """Safe HTML of a Markdown text."""
    html = _demote_h1(_md.render(text or ""))
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
    )


def plain_text(text: str) -> str:
    """The words of a Markdown text without markup (excerpts, summaries)."""
    html = _md.render(text or "")
    words = html_lib.unescape(nh3.clean(html, tags=set()))  # text, escaped where shown
    return re.sub(r"\s+", " ", words).strip()


def first_paragraph(text: str) -> str:
    """The words of the first paragraph (not a heading, list or table): a summary."""
    tokens = _md.parse(text or "")
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and index + 1 < len(tokens):
            return plain_text(tokens[index + 1].content)
    return plain_text(text)


def shorten(text: str, limit: int = 240) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"
