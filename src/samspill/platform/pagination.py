"""Pagination of every API list: `?page=2&page_size=100`, the page size capped by
SAMSPILL["MAX_PAGE_SIZE"], the response `{"items", "count", "page", "page_size"}`.

Two queries per page whatever its size (the count and the page). Use it on a ninja
operation that returns a queryset:

    from samspill.platform.pagination import paginate

    @router.get("/parties", response=list[PartyOut])
    @paginate
    def list_parties(request, filters: Query[PartyFilters]):
        return queries.parties(request.auth, ...)

It lives in the kernel (not in samspill.api) so that every domain's api.py may import it
without importing the API root above it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from ninja.pagination import paginate as ninja_paginate


class PageNumberPagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int | None = Field(
            None,
            ge=1,
            description="Items per page; the default is SAMSPILL['PAGE_SIZE'], larger "
            "values are capped at SAMSPILL['MAX_PAGE_SIZE'].",
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Number of items on all pages.")
        page: int
        page_size: int

    def page_size(self, requested: int | None) -> int:
        config = settings.SAMSPILL
        return int(min(requested or config["PAGE_SIZE"], config["MAX_PAGE_SIZE"]))

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> Any:
        size = self.page_size(pagination.page_size)
        offset = (pagination.page - 1) * size
        return {
            "items": queryset[offset : offset + size],
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": size,
        }


def paginate(func=None):
    """`@paginate` (or `@paginate()`) under a ninja route decorator."""
    decorator = ninja_paginate(PageNumberPagination)
    return decorator(func) if func is not None else decorator
