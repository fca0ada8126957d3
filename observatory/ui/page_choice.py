"""A page's own choice (an indicator, a pair to compare) kept in the URL beside the filters.

The URL value is checked against the allowed options like a filter: a bad one is dropped with a
visible notice and the default applies; a change of the widget writes the URL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from observatory import formatting as fmt
from observatory.filters import PAGE_KEYS, shortened

WIDGET_PREFIX = "choix_"


def from_url(key: str, options: Sequence[str], default: str, label: str) -> str:
    """The URL's value of `key` if allowed, else `default` (with a notice when one was given)."""
    assert any(key in keys for keys in PAGE_KEYS.values()), key
    given = st.query_params.get_all(key)
    if not given:
        return default
    if given[-1] in options:
        return given[-1]
    st.warning(fmt.as_text(f"Valeur ignorée pour {label} : « {shortened(given[-1])} » n'est pas un choix possible."))
    st.query_params[key] = default
    return default


def _write(key: str) -> None:
    st.query_params[key] = st.session_state[WIDGET_PREFIX + key]


def selectbox(container, label: str, key: str, options: Sequence[str], format_func: Callable[[str], str],
              default: str) -> str:
    """A selectbox whose value lives in the URL under `key`."""
    value = from_url(key, options, default if default in options else options[0], label.lower())
    st.session_state[WIDGET_PREFIX + key] = value  # before the widget exists: the URL wins
    container.selectbox(label, list(options), format_func=format_func, key=WIDGET_PREFIX + key,
                        on_change=_write, args=(key,))
    return value
