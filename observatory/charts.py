"""House style and figure builders: one Plotly template, one colour per branch, French numbers.

Figures carry their own title, filter line and source, so that an image exported from the chart
toolbar says what it shows. Hover texts are formatted by `formatting` (never by Plotly's d3
formats), so a hover reads exactly like the table under the chart. Secret cells are never drawn
as a value: a bar of length zero labelled "secret", grey, and "secret" in the hover.
"""

from __future__ import annotations

import copy
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import convert_to_base64  # what plotly's to_dict applies to arrays

from observatory import formatting as fmt
from observatory import frames, labels, reference, secrecy

# Paul Tol's "muted" then "light" schemes: distinguishable under the common colour-vision
# deficiencies; 17 colours, one per branch, assigned in the order of branches.csv.
BRANCH_PALETTE = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
                  "#AA4499", "#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33",
                  "#AAAA00")
MAIN = "#1F4E99"        # single-series colour
SECOND = "#D55E00"      # a reference or comparison series (Okabe-Ito vermilion)
THIRD = "#009E73"       # a third series (Okabe-Ito bluish green)
SECRET_GREY = "#BDBDBD"
FONT = "Marianne, 'Source Sans Pro', Arial, sans-serif"
TOOLBAR_REMOVE = ("lasso2d", "select2d", "autoScale2d", "toggleSpikelines")

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        separators=", ",  # decimal comma, (narrow) space for thousands
        font={"family": FONT, "size": 13, "color": "#1E1E1E"},
        colorway=[MAIN, SECOND, THIRD, "#CC79A7", "#56B4E9", "#E69F00", "#555555", "#F0E442"],
        paper_bgcolor="white", plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT}, "bgcolor": "white"},
        xaxis={"gridcolor": "#E5E5E5", "zerolinecolor": "#9E9E9E", "automargin": True},
        yaxis={"gridcolor": "#E5E5E5", "zerolinecolor": "#9E9E9E", "automargin": True},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        margin={"l": 10, "r": 20, "t": 90, "b": 70},
    )
)


TEMPLATE_NAME = "observatoire"
pio.templates[TEMPLATE_NAME] = TEMPLATE
TEMPLATE_JSON = TEMPLATE.to_plotly_json()


def branch_colours() -> dict[str, str]:
    """Each branch's colour, the same on every page."""
    codes = reference.branches()["code"].tolist()
    return {code: BRANCH_PALETTE[i % len(BRANCH_PALETTE)] for i, code in enumerate(codes)}


@dataclass(frozen=True)
class Caption:
    """A figure's title, subtitle and source, drawn inside the figure (so kept in exported images).

    Plotly does not wrap text: lines are broken here, for a half-width card unless `wide`."""

    title: str
    subtitle: str
    source: str
    wide: bool = False

    @cached_property
    def lines(self) -> tuple[list[str], list[str], list[str]]:
        """Title, subtitle and source, each broken into the lines of the card's width (once: the
        margins and the text both read them)."""
        return tuple(_wrapped(text, width) for text, width in zip((self.title, self.subtitle, self.source),
                                                                  WRAP[self.wide], strict=True))


# Characters per line (title 15 px bold, subtitle 12 px, source 11 px) for a half-width card
# (about 370 px on a 1280 px laptop screen) and a full-width one (about 800 px).
WRAP = {False: (40, 56, 62), True: (90, 125, 135)}
TITLE_LINE, SUBTITLE_LINE, SOURCE_LINE, LEGEND_ROW, AXIS_TITLE = 20, 16, 15, 26, 22


TICK_SUFFIX = {"eur": " €", "share": " %"}


def _value_axis(unit: str) -> dict[str, str]:
    """Ticks in French: `1 600 €`, `45 %`, `1 000 000` (Plotly would write `1600` and `1M`)."""
    return {"tickformat": ",~f", "ticksuffix": TICK_SUFFIX.get(unit, "")}


def _log_axis(low: float, high: float) -> dict[str, object]:
    """A logarithmic axis ticked at the powers of ten, written in French (`10 000`)."""
    powers = [10 ** k for k in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]
    return {"type": "log", "tickvals": powers, "ticktext": [fmt.number(p) for p in powers]}


def _plotted(values: pd.Series, unit: str) -> pd.Series:
    """Shares are plotted in percent so the axis reads `45 %`."""
    return values * 100 if unit == "share" else values


def _figure(traces: list[dict], caption: Caption, height: int, *, left_labels: Sequence[str],
            legend: Sequence[str] = (), right: int = 20, axis_titles: bool = False, **layout: object) -> go.Figure:
    """Assemble from plain dicts: one validation pass (building trace by trace through the
    graph objects API costs ten times more, and pages draw up to ten figures).

    Title, subtitle and source are wrapped to the card's width and the margins grow with their
    line counts, so that nothing is clipped on screen nor in an exported image. The source is
    placed from the figure's left edge: an annotation can only be positioned from the plot area,
    so the left margin is set from the widest axis label (`left_labels`), a little generously
    (the axis' automargin may only widen it, which shifts the source right, never out)."""
    title_lines, subtitle_lines, source_lines = caption.lines
    margin = _margins(caption, left_labels=left_labels, legend=legend, right=right, axis_titles=axis_titles)
    left = margin["l"]
    title_room = AXIS_TITLE if axis_titles else 0
    title = {"text": "<b>" + "<br>".join(title_lines) + "</b>", "x": 0, "xanchor": "left", "xref": "container",
             "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 20, "l": 4}, "font": {"size": 15},
             "subtitle": {"text": "<br>".join(subtitle_lines), "font": {"size": 12}}}
    source = {"text": "<br>".join(source_lines), "showarrow": False, "xref": "paper", "yref": "paper", "x": 0,
              "xshift": 4 - left, "y": 0, "yshift": -40 - title_room, "xanchor": "left", "yanchor": "top",
              "align": "left", "font": {"size": 11, "color": "#555555"}}
    # Built without plotly's property validation (a tenth of the cost; pages draw up to twelve
    # figures): tests/test_pages.py validates every figure of every page instead.
    return SealedFigure({"data": traces, "layout": {
        "template": TEMPLATE_JSON, "height": _grown(height, margin), "title": title,
        "annotations": [source], "margin": margin, **layout}})


def _margins(caption: Caption, *, left_labels: Sequence[str], legend: Sequence[str] = (), right: int = 20,
             axis_titles: bool = False) -> dict[str, int]:
    """Room for the title, subtitle and legend on top, the source below, the axis labels left."""
    title_lines, subtitle_lines, source_lines = caption.lines
    top = (24 + TITLE_LINE * len(title_lines) + SUBTITLE_LINE * len(subtitle_lines)
           + LEGEND_ROW * _legend_rows(legend, caption.wide))
    title_room = AXIS_TITLE if axis_titles else 0  # below the x ticks, left of the y ticks
    bottom = 48 + title_room + SOURCE_LINE * len(source_lines)
    left = 14 + title_room + math.ceil(7.2 * max((len(label) for label in left_labels), default=4))
    return {"l": left, "r": right, "t": top, "b": bottom}


def _grown(height: int, margin: dict[str, int]) -> int:
    """The figure's height: the height arguments assume the template's 90 + 70 margins."""
    return height + max(0, margin["t"] + margin["b"] - 160)


class SealedFigure(go.Figure):
    """A figure never changed once built (page contents are shared by sessions and reruns),
    kept as the plain dict it was written as. Plotly's objects are built from it only if
    something reads them (tests, a map's trace list): building them is Python time every page would
    pay (bench/README.md, section « Ce qui a changé », « Figures gardées en dictionnaire »). Its
    dict, which Streamlit asks for at every rerun of every card, is made once, as plotly would
    (arrays as typed base64 arrays). Readers must not change the dict either (Streamlit and
    plotly's JSON and HTML writers only read it)."""

    def __init__(self, spec: dict) -> None:
        self.__dict__["_spec"] = spec  # plotly's own __init__ runs on first use (__getattr__)

    def to_dict(self) -> dict:
        made = self.__dict__.get("_sealed_dict")
        if made is None:
            made = copy.deepcopy(self.__dict__["_spec"])
            convert_to_base64(made)
            self.__dict__["_sealed_dict"] = made
        return made

    def __reduce__(self) -> tuple:
        """Copied or pickled as the dict it is (plotly's own would add its grid fields to it)."""
        return SealedFigure, (self.__dict__["_spec"],)

    def __getattr__(self, name: str) -> object:
        """Anything else of plotly's (figure.data, figure.layout...): the objects, built once."""
        if name.startswith("__") or "_built" in self.__dict__:
            raise AttributeError(name)
        self.__dict__["_built"] = True
        super().__init__(self.__dict__["_spec"], _validate=False)
        return getattr(self, name)


def _legend_rows(names: Sequence[str], wide: bool) -> int:
    """Rows of a horizontal legend. Plotly aligns wrapped entries in columns as wide as the
    longest one (about 6.5 px a character and 45 px of symbol and gap)."""
    if not names:
        return 0
    entry = 45 + 6.5 * max(len(name) for name in names)
    per_row = max(1, int((860 if wide else 340) // entry))
    return math.ceil(len(names) / per_row)


def _wrapped(text: str, width: int) -> list[str]:
    return [_escape(line) for line in textwrap.wrap(text, width, break_on_hyphens=False)] or [""]


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML (links, bold, line breaks) in titles, ticks, hovers and
    texts: data-derived text is escaped wherever it goes into a figure."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bar_chart(rows: pd.DataFrame, caption: Caption, *, unit: str, colours: dict[str, str] | None = None,
              sort: bool = True) -> go.Figure:
    """Horizontal bars, one per row of `rows` (columns code, label, value, status): the largest
    on top, or with `sort=False` the rows' own order from top to bottom.

    The code of each bar travels in `customdata[0]`, for cross-filtering on click."""
    # Plotly draws the first category at the bottom. The rows are put in order as lists: sorting
    # and copying the frame would cost more than the rest of the chart.
    order = (frames.sort_order(rows["value"].to_numpy(dtype=float), na_position="first").tolist() if sort
             else list(range(len(rows) - 1, -1, -1)))

    def column(name: str) -> list:
        values = rows[name].tolist()
        return [values[i] for i in order]

    secret = [status == secrecy.SECRET for status in column("status")]
    values = column("value")
    codes = [str(c) for c in column("code")]
    texts = [fmt.by_unit(None if s else v, unit) for v, s in zip(values, secret, strict=True)]
    scale = 100 if unit == "share" else 1  # as `_plotted`, on a list
    bar = {
        "type": "bar", "orientation": "h", "y": [_escape(str(label)) for label in column("label")],
        "x": [0.0 if s else v * scale for v, s in zip(values, secret, strict=True)],
        "marker": {"color": [SECRET_GREY if s else (colours or {}).get(c, MAIN)
                             for c, s in zip(codes, secret, strict=True)]},
        "customdata": [[c, t] for c, t in zip(codes, texts, strict=True)], "text": texts,
        "textposition": "outside", "cliponaxis": False,
        "hovertemplate": "%{y} : %{customdata[1]}<extra></extra>",
    }
    # Labels are written beyond the bars' ends: room on the right for `1 234 €`.
    # No value axis: each bar carries its value, and beside long labels the ticks would be
    # crowded into a few pixels (and turn vertical).
    return _figure([bar], caption, max(260, 150 + 28 * len(rows)), left_labels=bar["y"], right=72,
                   xaxis={"showticklabels": False, "showgrid": False, "rangemode": "tozero"})


@dataclass(frozen=True)
class Series:
    name: str
    years: Sequence[int]
    values: Sequence[float | None]
    colour: str = MAIN
    dash: str = "solid"


def line_chart(series: Sequence[Series], caption: Caption, *, unit: str, log_scale: bool = False) -> go.Figure:
    """Yearly lines; a secret year is a gap in the line, with "secret" in the hover. With
    `log_scale`, a logarithmic value axis when the lines are far apart."""
    traces = []
    for line in series:
        values = pd.Series(list(line.values), dtype=float)
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": _escape(line.name), "x": list(line.years),
            "y": [None if pd.isna(v) else v for v in _plotted(values, unit)],
            "line": {"color": line.colour, "dash": line.dash, "width": 2.5}, "connectgaps": False,
            "customdata": [fmt.by_unit(None if pd.isna(v) else float(v), unit) for v in values],
            "hovertemplate": f"{_escape(line.name)} %{{x}} : %{{customdata}}<extra></extra>",
        })
    shown = [v for t in traces for v in t["y"] if v is not None]
    highest = max(shown, default=0.0)
    tick = fmt.number(highest) + TICK_SUFFIX.get(unit, "")
    value_axis: dict[str, object] = {"rangemode": "tozero", **_value_axis(unit)}
    if log_scale and shown and min(shown) > 0 and highest / min(shown) > 20:
        # Lines two orders of magnitude apart (300 000 trainees in the plan, 5 000 apprentices):
        # on a linear axis the small ones are flat at zero and their growth is invisible.
        value_axis = {**_log_axis(min(shown), highest),
                      "title": {"text": "échelle logarithmique", "font": {"size": 11}}}
    return _figure(traces, caption, 420, left_labels=[tick], legend=[line.name for line in series],
                   # Every other year on a half-width card: ten labels would turn vertical.
                   xaxis={"dtick": 1 if caption.wide else 2, "tickformat": "d"}, yaxis=value_axis)


@dataclass(frozen=True)
class Axis:
    title: str
    unit: str


def scatter_chart(points: pd.DataFrame, caption: Caption, x: Axis, y: Axis,
                  colours: dict[str, str] | None = None) -> go.Figure:
    """One marker per row of `points` (columns code, label, x, y), both values published; the
    caller leaves secret rows out (the table under the chart lists them). The code travels in
    `customdata[0]` for cross-filtering; the hover reads like the table. Each point's label is
    written where it overlaps no other label nor marker, or left to the hover (`labels`)."""
    codes = [str(c) for c in points["code"]]
    names = [str(label) for label in points["label"]]
    hover = [f"{_escape(label)}<br>{_escape(x.title)} : {fmt.by_unit(vx, x.unit)}<br>"
             f"{_escape(y.title)} : {fmt.by_unit(vy, y.unit)}"
             for label, vx, vy in zip(names, points["x"], points["y"], strict=True)]
    marker = {"type": "scatter", "mode": "markers+text", "x": _plotted(points["x"], x.unit).tolist(),
              "y": _plotted(points["y"], y.unit).tolist(), "textfont": {"size": SCATTER_FONT}, "cliponaxis": False,
              "marker": {"size": SCATTER_MARKER, "color": [(colours or {}).get(c, MAIN) for c in codes],
                         "line": {"width": 1, "color": "white"}},
              "customdata": [[c, h] for c, h in zip(codes, hover, strict=True)],
              "hovertemplate": "%{customdata[1]}<extra></extra>"}
    highest = max(marker["y"], default=0.0)
    tick = fmt.number(highest) + TICK_SUFFIX.get(y.unit, "")
    # Sizes span two orders of magnitude (a few thousand to 200 000 employees): a log scale
    # keeps the small cells apart instead of piling them against the axis.
    low, high = (float(points["x"].min()), float(points["x"].max())) if len(points) else (0.0, 0.0)
    log_x = low > 0 and high / low > 20
    x_axis = {"title": {"text": _escape(x.title) + (" (échelle logarithmique)" if log_x else "")},
              "nticks": 5, **_value_axis(x.unit)}
    if log_x:
        x_axis.update(_log_axis(low, high))
    y_axis = {"title": {"text": _escape(y.title)}, "rangemode": "tozero", **_value_axis(y.unit)}
    # Room on the right for the label of the rightmost point.
    sizing = {"left_labels": [tick], "axis_titles": True, "right": 80}
    if len(points):
        # Ranges set here, not by Plotly's autorange, so that the labels are placed in the pixels drawn.
        x_axis["range"] = _padded_range([math.log10(v) for v in marker["x"]] if log_x else marker["x"])
        y_axis["range"] = _padded_range(marker["y"], from_zero=True)
        marker["text"], marker["textposition"] = _placed_labels(
            marker["x"], marker["y"], names, x_axis["range"], y_axis["range"], log_x,
            caption, _margins(caption, **sizing))
    return _figure([marker], caption, SCATTER_HEIGHT, showlegend=False, xaxis=x_axis, yaxis=y_axis, **sizing)


SCATTER_HEIGHT, SCATTER_FONT, SCATTER_MARKER = 480, 10, 12
# A card's figure width in px on a 1280 px laptop screen, a little under (bench/README.md):
# labels placed apart at this width stay apart on a wider screen, where only the horizontal
# distances grow.
CARD_WIDTH = {False: 370, True: 780}


def _padded_range(values: Sequence[float], *, from_zero: bool = False) -> list[float]:
    """The values' extent and 6 % of it on each side; `from_zero`, the axis starts at zero when
    no value is below it (as a `tozero` axis)."""
    low, high = min(values), max(values)
    if from_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    pad = (high - low) * 0.06 or abs(high) * 0.1 or 1.0
    return [low if from_zero and low == 0 else low - pad, high + pad]


def _placed_labels(xs: Sequence[float], ys: Sequence[float], names: Sequence[str], x_range: Sequence[float],
                   y_range: Sequence[float], log_x: bool, caption: Caption,
                   margin: dict[str, int]) -> tuple[list[str], list[str]]:
    """Each point's text and its position: the label where it is free, else nothing (the hover names it)."""
    area = labels.Area(CARD_WIDTH[caption.wide] - margin["l"] - margin["r"],
                       _grown(SCATTER_HEIGHT, margin) - margin["t"] - margin["b"], right_room=margin["r"] - 4)

    def pixel(value: float, bounds: Sequence[float], length: float) -> float:
        return (value - bounds[0]) / (bounds[1] - bounds[0]) * length

    px = [pixel(math.log10(v) if log_x else v, x_range, area.width) for v in xs]
    py = [area.height - pixel(v, y_range, area.height) for v in ys]
    positions = labels.placed(px, py, names, area, font_size=SCATTER_FONT, marker_size=SCATTER_MARKER)
    return ([_escape(name) if where else "" for name, where in zip(names, positions, strict=True)],
            [where or "top center" for where in positions])


def quantile_chart(rows: pd.DataFrame, caption: Caption, smic: float | None = None) -> go.Figure:
    """Pay distributions as boxes drawn from published quantiles: whiskers at D1 and D9, box
    from Q1 to Q3, line at the median. Rows: code, label, d1, q1, median, q3, d9 (secret rows
    dropped here; the table under the chart lists them). With `smic`, a dashed vertical line marks
    the gross monthly SMIC of the year, the yardstick of low pay."""
    shown = frames.sort_rows(frames.dropna_rows(rows, "d1", "q1", "median", "q3", "d9"), "median")
    hover = [f"{_escape(str(label))}<br>D9 : {fmt.euros(d9)}<br>Q3 : {fmt.euros(q3)}<br>Médiane : {fmt.euros(m)}"
             f"<br>Q1 : {fmt.euros(q1)}<br>D1 : {fmt.euros(d1)}"
             for label, d1, q1, m, q3, d9 in shown[["label", "d1", "q1", "median", "q3", "d9"]].itertuples(
                 index=False)]
    box = {
        "type": "box", "orientation": "h", "name": "", "y": [_escape(str(label)) for label in shown["label"]],
        "q1": shown["q1"].tolist(), "median": shown["median"].tolist(), "q3": shown["q3"].tolist(),
        "lowerfence": shown["d1"].tolist(), "upperfence": shown["d9"].tolist(),
        "marker": {"color": MAIN}, "line": {"color": MAIN}, "fillcolor": "rgba(31, 78, 153, 0.25)",
        "hoverinfo": "text", "hovertext": hover, "customdata": shown["code"].tolist(),
    }
    traces = [box]
    if smic is not None and len(shown):
        label = f"SMIC {fmt.euros(smic)}"
        traces.append({"type": "scatter", "mode": "lines+text", "x": [smic, smic],
                       "y": [box["y"][0], box["y"][-1]], "text": ["", label], "textposition": "top center",
                       "textfont": {"size": 11, "color": SECOND}, "cliponaxis": False,
                       "line": {"color": SECOND, "dash": "dash", "width": 1.5}, "hoverinfo": "skip",
                       "showlegend": False})
    return _figure(traces, caption, max(280, 150 + 30 * len(shown)), left_labels=box["y"], showlegend=False,
                   xaxis=_value_axis("eur"))


def trace_types(figure: go.Figure) -> list[str]:
    """The type of each trace, read from the figure's dict (a sealed figure builds no objects)."""
    return [trace.get("type", "scatter") for trace in figure.to_dict()["data"]]


def export_config(filename: str, figure: go.Figure | None = None) -> dict:
    """Plotly toolbar: no logo, no selection tools, a PNG export named like the card's CSV. On a
    map the mouse wheel scrolls the page instead of zooming the map."""
    on_map = figure is not None and any(kind in ("choropleth", "scattergeo") for kind in trace_types(figure))
    return {
        **({"scrollZoom": False} if on_map else {}),
        "displaylogo": False,
        "modeBarButtonsToRemove": list(TOOLBAR_REMOVE),
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def heatmap_chart(matrix: pd.DataFrame, caption: Caption, *, unit: str) -> go.Figure:
    """A table of two dimensions as coloured cells (rows: index labels, columns: column labels,
    NaN = secret). A secret cell stays blank, outside the colour scale, with "secret" written in
    it and in its hover: never a colour that could be read as a value."""
    values = _plotted(matrix.astype(float), unit)
    texts = [[fmt.by_unit(None if pd.isna(v) else float(v), unit) for v in row] for row in matrix.to_numpy()]
    cell = {"type": "heatmap", "z": values.where(values.notna(), None).to_numpy().tolist(),
            "x": [_escape(str(c)) for c in matrix.columns], "y": [_escape(str(i)) for i in matrix.index],
            "text": texts, "texttemplate": "%{text}", "textfont": {"size": 10}, "colorscale": "Blues",
            "hoverongaps": True, "xgap": 1, "ygap": 1, "showscale": False,
            "hovertemplate": "%{y} · %{x} : %{text}<extra></extra>"}
    return _figure([cell], caption, max(300, 140 + 28 * len(matrix.index)), left_labels=cell["y"], showlegend=False,
                   xaxis={"side": "bottom", "tickangle": -30, "automargin": True},
                   yaxis={"autorange": "reversed", "automargin": True}, plot_bgcolor="#f2f2f2")


def pyramid_chart(rows: pd.DataFrame, caption: Caption) -> go.Figure:
    """An age pyramid: one row per age band (columns label, women, men; NaN = secret), the
    youngest at the bottom, women to the right and men to the left (drawn as negative lengths,
    labelled with their true values). A secret bar has no length and says "secret"."""
    labels = [_escape(str(label)) for label in rows["label"]]
    traces = []
    for column, name, colour, sign in (("men", "Hommes", MAIN, -1), ("women", "Femmes", SECOND, 1)):
        values = rows[column].astype(float)
        texts = [fmt.by_unit(None if pd.isna(v) else float(v), "count") for v in values]
        traces.append({"type": "bar", "orientation": "h", "name": name, "y": labels,
                       "x": [0 if pd.isna(v) else sign * v for v in values], "marker": {"color": colour},
                       "text": texts, "textposition": "outside", "cliponaxis": False, "customdata": texts,
                       "hovertemplate": f"{name}, %{{y}} : %{{customdata}}<extra></extra>"})
    widest = float(rows[["men", "women"]].max().max()) if len(rows) else 0.0
    widest = 0.0 if pd.isna(widest) else widest
    ticks = [-widest, -widest / 2, 0, widest / 2, widest] if widest else [0]
    return _figure(traces, caption, max(320, 120 + 26 * len(labels)), left_labels=labels,
                   legend=["Hommes", "Femmes"], barmode="overlay", bargap=0.1,
                   xaxis={"tickvals": ticks, "ticktext": [fmt.number(abs(t)) for t in ticks],
                          "range": [-widest * 1.3, widest * 1.3] if widest else None},
                   yaxis={"categoryorder": "array", "categoryarray": labels})
