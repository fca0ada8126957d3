"""Draw chart cards, notices, tiles and key findings; a click on a bar filters the whole view."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import streamlit as st

from observatory import formatting as fmt
from observatory.cards import ChartCard, Notice, PageContent, Tile
from observatory.charts import export_config, trace_types
from observatory.ui import filter_bar, shell

SELECTION_ATTRIBUTE = {"branch": "branches", "region": "regions", "occupation": "occupations"}
DATA_PANEL = "donnees_"  # key prefix of a card's "Voir les données" expander


def _apply_selection(chart_key: str, dimension: str) -> None:
    """Chart click callback: the clicked bar's code becomes the filter, in the widgets and the URL."""
    state = st.session_state.get(chart_key)
    points = getattr(getattr(state, "selection", None), "points", None) or []
    codes: list[str] = []
    for point in points:
        data = point.get("customdata") if isinstance(point, dict) else None
        code = data[0] if isinstance(data, list) and data else data
        if isinstance(code, str) and code not in codes:
            codes.append(code)
    if not codes:
        return
    selection = shell.selected_filters()
    # Validated like a URL: a forged selection event cannot inject an unknown code.
    filter_bar.set_selection(filter_bar.validated(replace(selection, **{SELECTION_ATTRIBUTE[dimension]: tuple(codes)})))


def chart_card(card: ChartCard | Notice) -> None:
    with st.container(border=True):
        if isinstance(card, Notice):
            st.markdown(f"**{fmt.as_text(card.title)}**")
            st.info(fmt.as_text(card.message))
            return
        chart_key = f"graphique_{card.key}"
        if card.select in SELECTION_ATTRIBUTE:
            kind = next(iter(trace_types(card.figure)), "bar")
            target = card.click_target or {"scatter": "un point"}.get(kind, "une barre")
            st.plotly_chart(card.figure, theme=None, key=chart_key, selection_mode="points",
                            on_select=lambda: _apply_selection(chart_key, card.select or ""),
                            config=export_config(card.file_stem, card.figure), alt=card.alt)
            st.caption(f"Cliquez sur {target} pour filtrer toute la vue sur cet élément.")
        else:
            st.plotly_chart(card.figure, theme=None, key=chart_key, config=export_config(card.file_stem, card.figure),
                            alt=card.alt)
        # The table is written and sent only once opened (opening reruns the page, its figures
        # already computed): a page of many cards spent part of every rerun on tables nobody opened
        # (bench/README.md, section « Ce qui a changé », « Tableau écrit à l'ouverture »).
        with st.expander("Voir les données", key=f"{DATA_PANEL}{card.key}", on_change="rerun") as panel:
            if panel.open:
                st.table(card.data.display(), hide_index=True)
        # The file is written when the button is clicked (a callable): not on every rerun, for
        # the few cards whose numbers are downloaded.
        st.download_button("Télécharger (CSV)", data=card.data.csv, file_name=f"{card.file_stem}.csv",
                           mime="text/csv", on_click="ignore", key=f"csv_{card.key}")
        # No caption of the source: the figure writes it under the chart (charts._figure), where
        # an image exported from the toolbar keeps it; a caption too showed it twice.
        with st.expander("Définition"):
            st.markdown(card.definition)


# Streamlit would read the arrow from a leading "-" of the delta, which the French minus is not.
DELTA_ARROWS = {1: "up", -1: "down", 0: "off"}
TILES_PER_ROW = 3  # six tiles in one row cut their figures on a 1280 px screen


def tiles(shown: Sequence[Tile]) -> None:
    """Key figures, three a row, each with its change on the previous year and its definition."""
    for start in range(0, len(shown), TILES_PER_ROW):
        for column, tile in zip(st.columns(TILES_PER_ROW), shown[start:start + TILES_PER_ROW], strict=False):
            column.metric(tile.label, tile.value, delta=tile.delta, delta_color="off", help=tile.help, border=True,
                          delta_arrow=DELTA_ARROWS[tile.trend])


def findings(sentences: Sequence[str]) -> None:
    if sentences:
        st.markdown("\n".join(f"- {fmt.as_text(s)}" for s in sentences))


def cards_in_grid(cards: Sequence[ChartCard | Notice], columns: int = 2) -> None:
    for start in range(0, len(cards), columns):
        row = st.columns(columns)
        for column, card in zip(row, cards[start:start + columns], strict=False):
            with column:
                chart_card(card)


def page_body(content: PageContent, *, wide: int = 0, cards_heading: str | None = None) -> None:
    """What every page shows under its title: the key figures, "À retenir", then the chart cards,
    the first `wide` of them at full width (long lists, many lines), the others two by two."""
    if content.tiles:
        tiles(content.tiles)
    st.subheader("À retenir")
    findings(content.sentences)
    if cards_heading:
        st.subheader(cards_heading)
    for card in content.cards[:wide]:
        chart_card(card)
    cards_in_grid(content.cards[wide:])
