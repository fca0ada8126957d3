"""French number formats used everywhere: `12 345`, `1 234,5 €`, `45,2 %`; text shown as text."""

from __future__ import annotations

import datetime as dt
import math

NBSP = "\u202f"  # narrow no-break space, the French thousands separator
# What Markdown, Streamlit's directives (:red[...], :material/...:) and KaTeX ($...$) read as
# markup; a backslash before any ASCII punctuation makes it a plain character in CommonMark.
MARKUP = "\\`*_{}[]()#+-.!|<>~$:=&"


def as_text(text: object) -> str:
    """A string from a file, a user or a producer, to put in Markdown as text: no link, image,
    colour, formula nor HTML can come out of it."""
    return "".join("\\" + char if char in MARKUP else char for char in str(text))


def number(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "secret"
    text = f"{value:,.{digits}f}"
    return text.replace(",", NBSP).replace(".", ",")


def euros(value: float | None, digits: int = 0) -> str:
    text = number(value, digits)
    return text if text == "secret" else f"{text}{NBSP}€"


def percent(share: float | None, digits: int = 1) -> str:
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "secret"
    return f"{number(share * 100, digits)}{NBSP}%"


def by_unit(value: float | None, unit: str) -> str:
    if unit == "share":
        return percent(value)
    if unit == "eur":
        return euros(value)
    if unit == "ratio":
        return number(value, 2)
    if unit == "days":
        text = number(value)
        return text if text == "secret" else f"{text} jours"
    if unit in ("fte", "hours"):
        return number(value, 1 if unit == "fte" else 0)
    return number(value)


def signed_percent(change: float | None, digits: int = 1) -> str:
    """A relative change with its sign: `+2,3 %`, `-0,4 %` (minus as U+2212 for legibility)."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return "secret"
    text = percent(abs(change), digits)
    return ("+" if change >= 0 else "\u2212") + text


def sign_as_written(value: float, digits: int) -> int:
    """1, -1 or 0: the sign of `value` written with `digits` decimals (`0,0` has none)."""
    shown = round(value, digits)
    return (shown > 0) - (shown < 0)


def date_fr(day: dt.date) -> str:
    """`24 novembre 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
