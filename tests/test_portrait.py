"""Portrait de branche: tiles, pyramid and sentences against the table builder; the exported
HTML parsed back and its figures checked; the branch choice becomes the branch filter."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest

from observatory import export, indicators, reference, secrecy
from observatory import formatting as fmt
from observatory.filters import Filters
from observatory.views import portrait
from tests.app_support import HOSTILE, run_page, url_values, values_of

PORTRAIT = "app_pages/portrait.py"


def published_total(builder, code: str, selection: Filters) -> str:
    measure = indicators.MEASURES[code]
    try:
        return values_of(builder.build(measure.dataset, (), code, selection).frame, measure.unit)[0]
    except secrecy.PopulationTooSmall:
        return "secret"


@pytest.mark.parametrize(("query", "selection"), [
    ({"branche": ["alisfa"], "annee": ["2021"]}, Filters(year=2021, branches=("alisfa",))),
    ({"region": ["84"]}, Filters(regions=("84",), branches=(portrait.DEFAULT_BRANCH,))),
])
def test_portrait_tiles_and_pyramid(data_root, builder, query, selection) -> None:
    app = run_page(PORTRAIT, query)
    assert not app.exception
    tiles = {metric.label: metric.value for metric in app.metric}
    for code in portrait.TILE_MEASURES:
        assert tiles[indicators.MEASURES[code].label] == published_total(builder, code, selection), code
    frame = builder.build("employees", ("age5", "sex"), "effectif", selection).frame
    pyramid = next(t.value for t in app.table if "Âge" in t.value.columns)
    labels = reference.code_lists()["age5"].labels
    for row in frame.itertuples():
        column = "Femmes" if row.sex == "F" else "Hommes"
        shown = pyramid.loc[pyramid["Âge"] == labels[row.age5], column].iloc[0]
        assert shown == values_of(frame.iloc[[row.Index]], "count")[0]
    assert any("62 et 64 ans" in c.value for c in app.caption), "the retirement assumption is stated"
    published = frame.dropna(subset=["value"])
    older = published.loc[published["age5"].isin(["55_59", "60_64", "65_plus"]), "value"].sum()
    title = portrait.pyramid_card(builder, selection).caption.title
    assert title.endswith(f"{fmt.percent(older / published['value'].sum())} des salariés ont 55 ans ou plus"), title


def test_choosing_a_branch_sets_the_filter(data_root) -> None:
    app = run_page(PORTRAIT, {"annee": ["2022"]})
    app.selectbox(key="portrait_branche").set_value("mutualite").run()
    assert not app.exception
    assert url_values(app, "branche") == ["mutualite"] and url_values(app, "annee") == ["2022"]
    assert app.title[0].value.endswith(reference.code_lists()["branch"].label("mutualite"))


@pytest.mark.parametrize("query", HOSTILE[:2])
def test_portrait_survives_hostile_urls(data_root, query) -> None:
    app = run_page(PORTRAIT, query, tables=False)
    assert not app.exception and app.warning


class Collector(HTMLParser):
    """Scripts, table cells and text of the exported page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.cells: list[str] = []
        self.text: list[str] = []
        self.external: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag in ("script", "link", "img") and (attributes.get("src") or attributes.get("href")):
            self.external.append(attributes.get("src") or attributes.get("href"))
        self._in = tag

    def handle_endtag(self, tag) -> None:
        self._in = None

    def handle_data(self, data) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "td":
            self.cells.append(data)
        self.text.append(data)


def test_exported_portrait_is_self_contained_and_carries_the_figures(data_root, builder) -> None:
    selection = Filters(year=2023, branches=("eclat",))
    content = portrait.content(builder, selection)
    page = export.page_html("Portrait de branche : ÉCLAT", "2023 · Branches : ÉCLAT (animation)", content,
                            ["Source : test"], dt.datetime(2026, 11, 25, 12, 0))
    parsed = Collector()
    parsed.feed(page)
    assert parsed.external == [], "nothing is fetched: the file opens offline"
    assert len(parsed.scripts[0]) > 1_000_000, "Plotly's script is embedded"
    plots = [s for s in parsed.scripts[1:] if "Plotly.newPlot" in s]
    charts = [c for c in content.cards if hasattr(c, "figure")]
    assert len(plots) == len(charts)
    # each figure's data travels in the file: the pyramid's bars have the builder's values
    frame = builder.build("employees", ("age5", "sex"), "effectif", selection).frame
    women = frame[(frame["sex"] == "F") & (frame["status"] == "ok")]["value"].astype(float)
    index = next(i for i, c in enumerate(content.cards) if c.key == "pyramide")
    pattern = rf"Plotly\.newPlot\(\s*\"figure-{index}\",\s*(\[.*?\]),\s*\{{"
    pyramid = json.loads(next(m.group(1) for p in plots if (m := re.search(pattern, p, re.S))))
    assert sorted(v for v in pyramid[1]["x"] if v) == sorted(women.tolist())
    text = " ".join(parsed.text)
    for tile in content.tiles:
        assert tile.label in text and tile.value in parsed.cells
    for sentence in content.sentences:
        assert sentence in text
    assert "Exporté le 25/11/2026 à 12:00" in text and "Source : test" in text


def test_exported_text_is_escaped(data_root, builder) -> None:
    content = portrait.content(builder, Filters(branches=("eclat",)))
    page = export.page_html("<script>alert(1)</script>", "<b>x</b>", content, ["<img src=x>"], dt.datetime.now())
    assert "<script>alert(1)</script>" not in page and "<img src=x>" not in page
