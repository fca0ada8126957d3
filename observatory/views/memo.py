"""Built page contents kept per (snapshot, page, filters): a repeated view skips the table
lookups and figure assembly. Contents are shared between sessions and must not be changed."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from observatory.cards import PageContent
from observatory.filters import Filters
from observatory.tables import TableBuilder

SIZE = 256
_contents: OrderedDict[tuple, PageContent] = OrderedDict()
_lock = threading.Lock()


def page_content(page: str, builder: TableBuilder, filters: Filters,
                 build: Callable[[TableBuilder, Filters], PageContent]) -> PageContent:
    key = (builder.snapshot_id, id(builder), page, filters.without_notices())
    with _lock:
        if key in _contents:
            _contents.move_to_end(key)
            return _contents[key]
    content = build(builder, filters)
    with _lock:
        _contents[key] = content
        while len(_contents) > SIZE:
            _contents.popitem(last=False)
    return content
