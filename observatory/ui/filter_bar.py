"""The global filter bar, bound to the URL query string.

The URL is the source of truth: each rerun parses it into `Filters` (dropping bad values with a
notice); the widgets start from that selection, and a change writes the new selection back to
the URL, so a copied link reopens the same view and the filters survive a change of page. A
widget state that names no code (a forged message) is dropped like a bad URL value.
"""

from __future__ import annotations

import threading
from functools import partial
from urllib.parse import urlencode, urlsplit

import streamlit as st

from observatory import reference
from observatory.filters import CODE_FILTERS, FILTERS, PAGE_KEYS, YEAR, Filters, from_query

WIDGET_PREFIX = "filtre_"
ALL_YEARS = tuple(str(y) for y in reversed(reference.YEARS))
_run = threading.local()  # this run's share-link popover (one script run per thread)


def _labels(name: str) -> dict[str, str]:
    return reference.code_lists()[name].labels


def _label_of(labels: dict[str, str]):
    """The widgets' format function, total: a value that is no code (a forged widget state)
    shows as itself until the URL drops it, instead of breaking the widget."""
    return lambda code: labels.get(code, str(code))


def _own_keys() -> frozenset[str]:
    """The URL keys of the page shown (a widget's callback runs before the page: the last run's)."""
    return PAGE_KEYS.get(st.session_state.get("_filtre_page") or "", frozenset())


def _url_selection(page: str) -> Filters:
    return from_query({key: st.query_params.get_all(key) for key in st.query_params}, page)


def _set_url(values: dict[str, list[str]]) -> None:
    """Replace the global filters in the URL, keeping the page's own choices (another page's
    keys are dropped)."""
    kept = {key: st.query_params.get_all(key) for key in st.query_params if key in _own_keys()}
    st.query_params.from_dict({**values, **kept})


def _write_url() -> None:
    """Widget change: rebuild the URL from the widgets' values."""
    values: dict[str, list[str]] = {}
    for declared in FILTERS:
        state = st.session_state.get(WIDGET_PREFIX + declared.url_key)
        if state in (None, "", []):
            continue
        values[declared.url_key] = list(state) if declared.several else [str(state)]
    if values.get(YEAR.url_key) == [ALL_YEARS[0]]:
        values.pop(YEAR.url_key)  # the latest year is the default: keep links short
    _set_url(values)


def _sync_widgets(selection: Filters) -> None:
    """Put the URL's selection into the widgets when the URL changed outside them."""
    wanted = selection.without_notices().to_query()
    for declared in FILTERS:
        value = wanted.get(declared.url_key, [])
        if declared is YEAR and not value:
            value = [ALL_YEARS[0]]
        st.session_state[WIDGET_PREFIX + declared.url_key] = list(value) if declared.several else \
            (value[0] if value else None)


def render(page: str) -> Filters:
    """Draw the filter bar in the sidebar and return the valid selection of the URL."""
    selection = _carried_over(page) or _url_selection(page)
    signature = repr(sorted(selection.without_notices().to_query().items()))
    if st.session_state.get("_filtre_signature") != signature or selection.notices:
        _sync_widgets(selection)
        st.session_state["_filtre_signature"] = signature
    if selection.notices:
        # Clean the URL of what was dropped, so that the link one copies is valid.
        _set_url(selection.without_notices().to_query())
    st.session_state["_filtre_selection"] = selection.without_notices()
    bar = st.sidebar
    bar.header("Filtres")
    bar.selectbox(YEAR.title, ALL_YEARS, key=WIDGET_PREFIX + YEAR.url_key, on_change=_write_url)
    for declared in (f for f in CODE_FILTERS if f.in_sidebar):
        labels = _labels(declared.code_list)
        widget = bar.multiselect if declared.several else partial(bar.selectbox, index=None)
        widget(declared.title, list(labels), format_func=_label_of(labels), key=WIDGET_PREFIX + declared.url_key,
               on_change=_write_url, placeholder=declared.none_chosen)
    bar.button("Réinitialiser", on_click=_reset, width="stretch")
    # Filled once the page has run (fill_share_link): the page checks its own choices first.
    _run.share = bar.popover("Copier le lien de cette vue", width="stretch")
    return selection


def fill_share_link() -> None:
    """The link of the view, written after the page: the page's own choices it carries are
    those the page accepted (a rejected one is already back to its default in the URL)."""
    popover = getattr(_run, "share", None)
    if popover is None:
        return
    _run.share = None
    with popover:
        st.caption("Ce lien rouvre exactement cette vue (page et filtres). Copiez-le avec l'icône à droite.")
        st.code(share_link(st.session_state["_filtre_selection"]), language=None, wrap_lines=True)


def _carried_over(page: str) -> Filters | None:
    """Streamlit empties the query string when the user changes page: the selection of the
    previous page then carries over, and goes back into the URL of the new one."""
    previous_page = st.session_state.get("_filtre_page")
    st.session_state["_filtre_page"] = page
    carried = st.session_state.get("_filtre_selection")
    if previous_page in (None, page) or st.query_params.to_dict() or not isinstance(carried, Filters):
        return None
    if carried.is_empty():
        return None
    st.query_params.from_dict(carried.to_query())
    return carried


def share_link(selection: Filters) -> str:
    """The address of the current page with the selection's query string and the page's choices."""
    page_choices = {key: st.query_params.get_all(key) for key in st.query_params if key in _own_keys()}
    query = urlencode({**selection.to_query(), **page_choices}, doseq=True)
    try:
        address = urlsplit(st.context.url or "")
        base = f"{address.scheme}://{address.netloc}{address.path}" if address.netloc else address.path
    except (AttributeError, ValueError):
        base = ""
    return f"{base}?{query}" if query else (base or "?")


def validated(selection: Filters) -> Filters:
    """The same checks as a URL: a selection from a chart event goes through the code lists."""
    return from_query(selection.to_query()).without_notices()


def set_selection(selection: Filters) -> None:
    """Make `selection` the view: URL and widgets (from a callback, before the widgets exist)."""
    _set_url(selection.to_query())
    _sync_widgets(selection)
    st.session_state["_filtre_signature"] = repr(sorted(selection.to_query().items()))


def _reset() -> None:
    """Back to the default view: no filter, latest year, a bare URL (the page's choices stay)."""
    set_selection(Filters())
