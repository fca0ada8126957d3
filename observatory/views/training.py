"""Formation: trainees and access rates, and who trains less (small structures, older
employees); the schemes mix since 2016; hours and costs; certifications; alternance."""

from __future__ import annotations

from functools import partial

import pandas as pd

from observatory import formatting as fmt
from observatory import frames, reference
from observatory.cards import PageContent
from observatory.filters import Filters
from observatory.tables import NO_CERTIFICATION, TableBuilder
from observatory.views.common import (
    BarSpec,
    access_by_size_sentence,
    assembled,
    bar_piece,
    by_dimension,
    extremes_title,
    from_totals,
    guarded,
    in_list_order,
    sentences_from,
    yearly_lines_card,
)

TILE_MEASURES = ("stagiaires", "taux_acces", "entrees_alternance", "heures_par_stagiaire", "cout_par_stagiaire",
                 "cout_horaire")
TOP_CERTIFICATIONS = 10
APPRENTICESHIP = "apprentissage"
PER_SCHEME_NOTE = ("Une personne formée dans deux dispositifs la même année compte dans chacun : la somme des "
                   "dispositifs dépasse le nombre de stagiaires.")


def _first_and_last_title(template: str, fallback: str, unit: str):
    """The finding of an ordered chart (sizes, age bands): its first row against its last."""
    def title(rows: pd.DataFrame) -> str:
        published = frames.dropna_rows(rows, "value")
        if len(published) < 2:
            return fallback
        first, last = published.iloc[0], published.iloc[-1]
        return template.format(first=first["label"], first_value=fmt.by_unit(first["value"], unit),
                               last=last["label"], last_value=fmt.by_unit(last["value"], unit))
    return title


def _top_title(rows: pd.DataFrame) -> str:
    published = frames.dropna_rows(rows, "value")
    if published.empty:
        return "Certifications préparées"
    first = published.iloc[0]
    return f"Certification la plus préparée : {first['label']} ({fmt.number(first['value'])} stagiaires)"


def _scheme_glossary() -> str:
    """Full names of the abbreviated schemes, and the year of those created since 2016."""
    schemes = reference.schemes()
    entries = [f"{short} : {label}" + (f", depuis {since}" if since > reference.YEARS[0] else "")
               for short, label, since in zip(schemes["short_label"], schemes["label"], schemes["available_from"],
                                              strict=True)
               if short != label or since > reference.YEARS[0]]
    return "**Dispositifs** : " + " ; ".join(entries) + "."


SCHEME_GLOSSARY = _scheme_glossary()

CERTIFICATIONS = BarSpec("certifications", "stagiaires", "certification", _top_title, top=TOP_CERTIFICATIONS,
                         exclude=(NO_CERTIFICATION,), wide=True)
BAR_SPECS = (
    BarSpec("acces_taille", "taux_acces", "employer_size", _first_and_last_title(
        "Taux d'accès : {first_value} dans les structures de {first}, {last_value} dans celles de {last}",
        "Taux d'accès à la formation par taille de structure", "share"), in_list_order=True),
    BarSpec("acces_age", "taux_acces", "age_band", _first_and_last_title(
        "Taux d'accès : {first_value} avant 25 ans, {last_value} à 55 ans ou plus",
        "Taux d'accès à la formation par tranche d'âge", "share"), in_list_order=True),
    BarSpec("acces_sexe", "taux_acces", "sex", extremes_title(
        "Taux d'accès : {high_value} ({high}), {low_value} ({low})",
        "Taux d'accès des {label} : {value}", "Taux d'accès à la formation par sexe", "share"),
        in_list_order=True),
    BarSpec("acces_branche", "taux_acces", "branch", extremes_title(
        "Taux d'accès : {high_value} en {high}, {low_value} en {low}", "Taux d'accès en {label} : {value}",
        "Taux d'accès à la formation par branche", "share"), select="branch"),
    BarSpec("dispositifs", "stagiaires", "scheme", extremes_title(
        "Dispositif le plus suivi : {high} ({high_value} stagiaires)", "{label} : {value} stagiaires",
        "Stagiaires par dispositif", "count"), note=SCHEME_GLOSSARY),
    BarSpec("heures_dispositif", "heures_par_stagiaire", "scheme", extremes_title(
        "De {low_value} heures par stagiaire ({low}) à {high_value} ({high})", "{label} : {value} heures par stagiaire",
        "Heures par stagiaire et par dispositif", "hours"), note=SCHEME_GLOSSARY),
    BarSpec("cout_dispositif", "cout_par_stagiaire", "scheme", extremes_title(
        "De {low_value} par stagiaire ({low}) à {high_value} ({high})", "{label} : {value} par stagiaire",
        "Coût par stagiaire et par dispositif", "eur"), note=SCHEME_GLOSSARY),
    BarSpec("cout_horaire_dispositif", "cout_horaire", "scheme", extremes_title(
        "Coût horaire : de {low_value} ({low}) à {high_value} ({high})", "{label} : {value} de l'heure",
        "Coût horaire par dispositif", "eur"), note=SCHEME_GLOSSARY),
    BarSpec("alternance_branche", "entrees_alternance", "branch", extremes_title(
        "Entrées en alternance : {high_value} en {high}, {low_value} en {low}",
        "Entrées en alternance en {label} : {value}", "Entrées en alternance par branche", "count"),
        select="branch"),
)


def _schemes_title(rows: pd.DataFrame) -> str:
    """Apprenticeship since the first year (the 2018 reform's effect), else the latest mix."""
    apprentices = frames.sort_rows(frames.dropna_rows(rows[(rows["code"] == APPRENTICESHIP)], "value"), "year")
    if len(apprentices) >= 2 and apprentices["value"].iloc[0] > 0:
        first, last = apprentices.iloc[0], apprentices.iloc[-1]
        factor = last["value"] / first["value"]
        return (f"Apprentissage : {fmt.number(first['value'])} stagiaires en {first['year']}, "
                f"{fmt.number(last['value'])} en {last['year']} (× {fmt.number(factor, 1)})")
    return "Stagiaires par dispositif depuis 2016"


def findings(builder: TableBuilder, filters: Filters) -> tuple[str, ...]:
    year = filters.effective_year

    def trainees() -> str | None:
        persons, rate = builder.total("stagiaires", filters), builder.total("taux_acces", filters)
        if persons is None:
            return None
        text = f"En {year}, {fmt.number(persons)} salariés ont suivi au moins une action de formation"
        if rate is not None:
            text += f", soit un taux d'accès de {fmt.percent(rate)}"
        return text + "."

    def age() -> str | None:
        rows = in_list_order(by_dimension(builder, "taux_acces", "age_band", filters), "age_band")
        rows = frames.dropna_rows(rows, "value")
        if len(rows) < 2 or rows["code"].iloc[-1] != "55_plus":
            return None
        oldest, best = rows.iloc[-1], frames.sort_rows(rows.iloc[:-1], "value").iloc[-1]
        return (f"Les salariés de {oldest['label'].lower()} se forment moins : {fmt.percent(oldest['value'])} "
                f"d'entre eux contre {fmt.percent(best['value'])} des {best['label'].lower()}.")

    def apprenticeship() -> str | None:
        rows = frames.dropna_rows(by_dimension(builder, "stagiaires", "scheme", filters), "value")
        alternance = builder.total("entrees_alternance", filters)
        apprentices = rows[rows["code"] == APPRENTICESHIP]
        if alternance is None or apprentices.empty:
            return None
        return (f"{fmt.number(alternance)} personnes sont entrées en alternance en {year}, dont "
                f"{fmt.number(apprentices['value'].iloc[0])} en apprentissage.")

    cost = from_totals(builder, filters, ("heures_par_stagiaire", "cout_par_stagiaire", "cout_horaire"),
                       lambda hours, per_trainee, per_hour: (
        f"Un stagiaire a suivi en moyenne {fmt.number(hours)} heures de formation, pour un coût "
        f"pédagogique de {fmt.euros(per_trainee)} ({fmt.euros(per_hour, 2)} de l'heure)."))

    return sentences_from(builder, trainees, lambda: access_by_size_sentence(builder, filters), age, apprenticeship,
                          cost)


def content(builder: TableBuilder, filters: Filters) -> PageContent:
    cards = [partial(guarded, "dispositifs_evolution", "Stagiaires par dispositif depuis 2016",
                     partial(yearly_lines_card, builder, "dispositifs_evolution", "stagiaires", "scheme", filters,
                             _schemes_title, f"{PER_SCHEME_NOTE}\n\n{SCHEME_GLOSSARY}"))]
    cards += [bar_piece(builder, spec, filters) for spec in (CERTIFICATIONS, *BAR_SPECS)]  # the two wide cards first
    return assembled(builder, filters, TILE_MEASURES, cards, partial(findings, builder, filters))
