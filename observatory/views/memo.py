"""Built page contents kept per (builder, page, filters): a repeated view skips the table
lookups and figure assembly. Contents are shared between sessions and must not be changed; they
go with their builder (a replaced snapshot's pages are not kept once its builder is dropped)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import replace

from observatory import reference, secrecy
from observatory.cards import PageContent
from observatory.filters import FILTERS, Filters
from observatory.tables import TableBuilder
from observatory.tables.shared_cache import SharedCache

SIZE = 512  # the warm-up fills about 130 (2 pages x 65 selections); visitors the rest
_CONTENTS: weakref.WeakKeyDictionary[TableBuilder, SharedCache[object]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def page_content(page: Hashable, builder: TableBuilder, filters: Filters,
                 build: Callable[[TableBuilder, Filters], PageContent]) -> PageContent:
    """`build(builder, filters)`, computed once for every session asking at the same time."""
    with _lock:
        contents = _CONTENTS.get(builder)
        if contents is None:
            contents = _CONTENTS[builder] = SharedCache(SIZE)
    return contents.get_or_compute([(page, filters.without_notices())],  # type: ignore[return-value]
                                   lambda: build(builder, filters))


def clear() -> None:
    """Forget every built content (tests that compare a page built afresh)."""
    with _lock:
        for contents in _CONTENTS.values():
            contents.clear()



def warm_selections() -> list[Filters]:
    """Every year's default view, then each single branch, region, sex, family, age band and
    employer size on the latest year: what most visits are (a link to one branch or region)."""
    selections = [Filters(year=year) for year in (None, *reversed(reference.YEARS[:-1]))]
    lists = reference.code_lists()
    for declared in (f for f in FILTERS if f.warmed):
        for code in lists[declared.code_list].labels:
            selections.append(replace(Filters(), **{declared.attribute: (code,) if declared.several else code}))
    return selections


def warm(builder: TableBuilder, contents: dict[str, Callable[[TableBuilder, Filters], PageContent]],
         selections: list[Filters] | None = None, pause: Callable[[], object] = lambda: None) -> int:
    """Build the pages' contents for `selections` (default: `warm_selections()`) ahead of the
    visitors; the ten-year trends of a selection are shared by all its years. `pause` is called
    before each view (the app waits there while visitors' pages are computed). Returns how many
    page views were built."""
    built = 0
    for selection in selections if selections is not None else warm_selections():
        for page, build in contents.items():
            pause()
            try:
                page_content(page, builder, selection, build)
            except secrecy.PopulationTooSmall:
                continue
            built += 1
    return built
