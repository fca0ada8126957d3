"""Page contents built from protected tables, without streamlit (pages only draw them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from observatory.cards import PageContent
from observatory.filters import Filters
from observatory.tables import TableBuilder
from observatory.views import labour_needs, memo, overview, portrait, recruitment, salaries, training

T = TypeVar("T")

# Page key (as the pages and the content cache name them) -> content function.
CONTENTS: dict[str, Callable[[TableBuilder, Filters], PageContent]] = {
    "vue_ensemble": overview.content,
    "salaires": salaries.content,
    "recrutement": recruitment.content,
    "formation": training.content,
    "besoins": labour_needs.content,
    "portrait": portrait.content,
}


def page_content(page: str, builder: TableBuilder, filters: Filters) -> PageContent:
    """The content of `page` for `filters`, from the shared cache when already built."""
    return memo.page_content(page, builder, filters, CONTENTS[page])


def cached(key: str, builder: TableBuilder, filters: Filters, build: Callable[[TableBuilder, Filters], T]) -> T:
    """A page's content that depends on its own choices too (`key` names them), cached the same way."""
    return memo.page_content(key, builder, filters, build)  # type: ignore[arg-type, return-value]
