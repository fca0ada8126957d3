"""Page contents built from protected tables, without streamlit (pages only draw them)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from observatory.cards import PageContent
from observatory.filters import Filters
from observatory.tables import TableBuilder
from observatory.views import (
    comparison,
    labour_needs,
    memo,
    overview,
    portrait,
    recruitment,
    salaries,
    territories,
    training,
)

# The pages whose content depends on the filters only (page key as the pages and the warm-up
# name them -> content function).
CONTENTS: dict[str, Callable[[TableBuilder, Filters], PageContent]] = {
    "vue_ensemble": overview.content,
    "salaires": salaries.content,
    "recrutement": recruitment.content,
    "formation": training.content,
    "besoins": labour_needs.content,
    "portrait": portrait.content,
}
# The pages whose content also depends on choices of their own (content function(builder,
# filters, *choices)).
WITH_CHOICES: dict[str, Callable[..., object]] = {
    "territoires": territories.content,
    "comparer": comparison.compare,
}


def page_content(page: str, builder: TableBuilder, filters: Filters, *choices: str) -> Any:
    """The content of `page` for `filters` (and the page's own `choices`), from the shared
    cache when already built."""
    if page in CONTENTS:
        return memo.page_content(page, builder, filters, CONTENTS[page])
    return memo.page_content((page, *choices), builder, filters,
                             partial(_with_choices, WITH_CHOICES[page], choices))


def _with_choices(content: Callable[..., object], choices: tuple[str, ...], builder: TableBuilder,
                  filters: Filters) -> object:
    return content(builder, filters, *choices)
