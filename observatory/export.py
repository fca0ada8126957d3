"""A page as one self-contained HTML file: figures (Plotly's script embedded once, so the file
opens offline), their tables, key figures, sentences, filters, sources and date, printable.

Everything written comes from the page content that the screen shows, HTML-escaped."""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import cache

import plotly.io as pio
from plotly.offline import get_plotlyjs

from observatory.cards import ChartCard, Notice, PageContent

STYLE = """
body { font-family: Marianne, 'Source Sans Pro', Arial, sans-serif; color: #1e1e1e; max-width: 980px;
       margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.9em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.6em; }
.meta { color: #555; } .notice { background: #eef4ff; padding: 0.6em 1em; border-radius: 6px; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #d0d0d0; padding: 0.25em 0.6em; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
section { page-break-inside: avoid; border-top: 1px solid #e5e5e5; padding-top: 0.5em; }
.source, .definition { color: #555; font-size: 0.88em; }
@media print { body { margin: 0; max-width: none; } }
"""


@cache
def _plotly_script() -> str:
    return get_plotlyjs()


def _text(markdown: str) -> str:
    """Markdown of a definition as escaped text (bold marks dropped, paragraphs kept)."""
    plain = re.sub(r"\*\*(.+?)\*\*", r"\1", markdown)
    return "".join(f"<p>{html.escape(part.strip())}</p>" for part in plain.split("\n\n") if part.strip())


def _table(frame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _card(card: ChartCard | Notice, index: int) -> str:
    if isinstance(card, Notice):
        return f"<section><h2>{html.escape(card.title)}</h2><p class='notice'>{html.escape(card.message)}</p></section>"
    figure = pio.to_html(card.figure, include_plotlyjs=False, full_html=False, div_id=f"figure-{index}",
                         config={"displaylogo": False, "responsive": True})
    caption = card.caption
    return (f"<section><h2>{html.escape(caption.title)}</h2><p class='meta'>{html.escape(caption.subtitle)}</p>"
            f"{figure}<details open><summary>Données du graphique</summary>{_table(card.data.display())}</details>"
            f"<p class='source'>{html.escape(caption.source)}</p>"
            f"<div class='definition'>{_text(card.definition)}</div></section>")


def page_html(title: str, subtitle: str, content: PageContent, notes: list[str], created: dt.datetime) -> str:
    """The whole page: title, filters line, key figures, sentences, every card, notes, date."""
    tiles = ""
    if content.tiles:
        rows = "".join(f"<tr><td>{html.escape(t.label)}</td><td class='num'>{html.escape(t.value)}</td>"
                       f"<td>{html.escape(t.delta or '')}</td></tr>" for t in content.tiles)
        tiles = ("<h2>Chiffres clés</h2><table><thead><tr><th>indicateur</th><th>valeur</th><th>évolution</th>"
                 f"</tr></thead><tbody>{rows}</tbody></table>")
    sentences = "".join(f"<li>{html.escape(s)}</li>" for s in content.sentences)
    cards = "".join(_card(card, i) for i, card in enumerate(content.cards))
    footer = "".join(f"<p class='source'>{html.escape(note)}</p>" for note in notes)
    stamp = created.strftime("%d/%m/%Y à %H:%M")
    return (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style><script>{_plotly_script()}</script></head><body>"
            f"<h1>{html.escape(title)}</h1><p class='meta'>{html.escape(subtitle)}</p>{tiles}"
            f"<h2>À retenir</h2><ul>{sentences}</ul>{cards}<footer>{footer}"
            f"<p class='source'>Exporté le {stamp} depuis l'Observatoire de la cohésion sociale.</p>"
            "</footer></body></html>")
