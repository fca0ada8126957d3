"""Which requests the builder can serve from the cells of others, and so in which order to
compute a page's pieces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from observatory import indicators
from observatory.filters import Filters


@dataclass(frozen=True)
class Request:
    """A protected table: a measure over dimensions under filters."""
    measure: str
    dimensions: tuple[str, ...]
    filters: Filters

    @property
    def dataset(self) -> str:
        return indicators.MEASURES[self.measure].dataset


def wider_requests(query: str, parameters: dict[str, object]) -> list[dict[str, object]]:
    """The request's parameters, then those of requests whose cells hold its columns and more
    (every count of a trimmed query, the quantiles): cells the builder serves it from. Fewer
    variants, a wider request."""
    variants = [parameters]
    if query in indicators.TRIMMED_QUERIES and parameters.get("counts") == ["n"]:
        variants.append({**parameters, "counts": list(indicators.TRIMMED_QUERIES[query])})
    if parameters.get("quantiles") is False:
        variants += [{**variant, "quantiles": True} for variant in variants]
    return variants


class ReadsOthers:
    """What a piece names when it reads the tables the other pieces build (a page's findings, which
    read the year's totals out of the tiles' ten-year tables): started after all of them."""


READS_OTHERS = ReadsOthers()


def start_order(requests: Sequence[Request | ReadsOthers | None]) -> list[int]:
    """Positions of `requests` in the order to start them, as many at once as there are workers:
    first those that run a query of their own, the widest first (every count before the headcount
    alone, quantiles before none); then the pieces that name no request, in their order; then
    those served from cells an earlier one computes, so that workers run other queries instead of
    waiting for cells already being computed; last those that read what the others build."""
    first = leaders(requests)
    followers = [i for i, request in enumerate(requests) if isinstance(request, Request) and i not in first]
    return [*first, *(i for i, request in enumerate(requests) if request is None), *followers,
            *(i for i, request in enumerate(requests) if isinstance(request, ReadsOthers))]


def leaders(requests: Sequence[Request | ReadsOthers | None]) -> list[int]:
    """Positions of the requests that run a query of their own when started in this order, the
    widest first; every other request is served from the cells they compute."""
    reads = {i: _reads(request) for i, request in enumerate(requests) if isinstance(request, Request)}
    started: set[tuple] = set()
    found = []
    for i in sorted(reads, key=lambda i: sum(len(wider_requests(query, asked)) for query, _where, asked in reads[i])):
        if not all(any((query, where, repr(sorted(wider.items()))) in started for wider in wider_requests(query, asked))
                   for query, where, asked in reads[i]):
            found.append(i)
            started.update((query, where, repr(sorted(asked.items()))) for query, where, asked in reads[i])
    return found


def _reads(request: Request) -> list[tuple[str, tuple, dict[str, object]]]:
    """Each query of the request's measure, where it reads (dimensions and filters) and what the
    measure asks of it beyond the filters."""
    measure = indicators.MEASURES[request.measure]
    where = (request.dimensions, request.filters.without_notices())
    return [(query, where, dict(indicators.query_columns(query, measure.columns(query)))) for query in measure.queries]
