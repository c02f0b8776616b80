"""One shape for every list the API returns: a page of items and how many matched in all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

from custodia.db import MAX_ID

T = TypeVar("T")

MAX_LIMIT = 500
MAX_OFFSET = MAX_ID


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="how many matched in all, across every page")
    limit: int
    offset: int


@dataclass(frozen=True)
class PageRequest:
    limit: int
    offset: int


async def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)


Paging = Annotated[PageRequest, Depends(page_request)]


def page_of(items: Sequence[T], *, total: int, paging: PageRequest) -> Page[T]:
    """A page the service has already cut, with the total it counted."""
    return Page(items=list(items), total=total, limit=paging.limit, offset=paging.offset)


def paginate(items: Sequence[T], paging: PageRequest) -> Page[T]:
    """Cut a page from a short list a service returns whole (facilities, organizations)."""
    window = items[paging.offset : paging.offset + paging.limit]
    return page_of(window, total=len(items), paging=paging)
