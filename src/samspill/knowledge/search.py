"""What the knowledge base plugs into the shell: global search (Ctrl+K) over the articles
the user may read."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samspill.knowledge import queries
from samspill.platform.registry import SearchHit


def search_hits(user, q: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            kind=_("Article"),
            title=article.title,
            url=article.get_absolute_url(),
            subtitle=" · ".join(
                [
                    article.get_language_display(),
                    article.get_visibility_display(),
                    article.get_state_display(),
                ]
            ),
        )
        for article in queries.search(user, q, limit)
    ]
