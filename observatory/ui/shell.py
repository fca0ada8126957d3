"""The app frame shared by every page: page list, URL-bound global filters, banners."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import streamlit as st

from observatory import formatting as fmt
from observatory import secrecy, snapshots
from observatory.contracts import CONTRACTS
from observatory.filters import Filters
from observatory.tables import TableRequestError
from observatory.ui import filter_bar, hardening, resources
from observatory.warehouse import QueryError

FILTERS_KEY = "observatory_filters"


def pages() -> list:
    return [
        st.Page("app_pages/vue_ensemble.py", title="Vue d'ensemble", icon=":material/dashboard:", default=True),
        st.Page("app_pages/salaires.py", title="Salaires", icon=":material/euro:"),
        st.Page("app_pages/recrutement.py", title="Recrutement et postes vacants", icon=":material/work:"),
        st.Page("app_pages/formation.py", title="Formation", icon=":material/school:"),
        st.Page("app_pages/territoires.py", title="Territoires", icon=":material/map:"),
        st.Page("app_pages/portrait.py", title="Portrait de branche", icon=":material/badge:"),
        st.Page("app_pages/comparer.py", title="Comparer", icon=":material/compare_arrows:"),
        st.Page("app_pages/besoins.py", title="Besoins en main-d'œuvre (France Travail)", icon=":material/groups:"),
        st.Page("app_pages/donnees.py", title="Données", icon=":material/table_view:"),
        st.Page("app_pages/methodologie.py", title="Méthodologie et sources", icon=":material/menu_book:"),
    ]


def render_frame(page: str) -> None:
    """Banner and notices shown above every page."""
    served = resources.serve_this_run()
    snapshot = served.snapshot
    if served.damaged:
        st.error(damage_banner(served.damaged, snapshot), icon="⚠️")
    if snapshot is None:
        if not served.damaged:
            st.error("Aucune donnée n'est encore publiée. Lancez `make run` (ou "
                     "`python -m observatory demo`) pour générer les données de démonstration.")
        st.stop()
    synthetic = [CONTRACTS[name].title.lower() for name in snapshots.DATASETS
                 if snapshot.origin_of(name) == "demo"]
    if synthetic:
        scope = "" if len(synthetic) == len(snapshots.DATASETS) else f" pour : {', '.join(synthetic)}"
        st.info(f"**Données de démonstration synthétiques**{scope} : générées pour montrer l'outil, "
                "calibrées sur des chiffres publics ; elles ne décrivent aucune personne ni "
                "structure réelle.", icon="ℹ️")
    if hardening.unknown_page_requested():
        st.warning("**Page introuvable** : l'adresse demandée ne correspond à aucune page de l'observatoire. "
                   "Voici la page d'accueil ; les autres pages sont dans le menu à gauche.")
    selection = filter_bar.render(page)
    for notice in selection.notices:
        st.warning(fmt.as_text(notice))
    st.session_state[FILTERS_KEY] = selection.without_notices()


PAGE_UNAVAILABLE = "Ce tableau n'a pas pu être calculé ; réessayez dans un instant."
UNEXPECTED = ("**Cette page n'a pas pu être affichée** à cause d'une erreur inattendue ; elle a été signalée. "
              "Réessayez dans un instant, ou changez de page ou de filtres.")


def run_page(navigation: Any) -> None:
    """Run the page chosen: the one boundary that turns what a page could not compute into a French
    message (a population too small, a request refused or a query that failed: why; anything else:
    logged, never a traceback), instead of a try in each page."""
    try:
        navigation.run()
    except secrecy.PopulationTooSmall as refused:
        st.warning(refused.message)
    except TableRequestError as refused:
        st.warning(fmt.as_text(str(refused)))
    except QueryError:
        st.warning(PAGE_UNAVAILABLE)
    except Exception:
        logging.getLogger(__name__).exception("page %s en échec", getattr(navigation, "url_path", "?"))
        st.error(UNEXPECTED, icon="⚠️")


def finish_frame() -> None:
    """What the frame writes once the page has run: the link of the view."""
    filter_bar.fill_share_link()


def damage_banner(damaged: tuple[snapshots.Damage, ...], serving: snapshots.Snapshot | None) -> str:
    """For the administrator: which snapshot is damaged and why, what is served meanwhile."""
    first = damaged[0]
    text = (f"**Données endommagées** : le snapshot actif « {fmt.as_text(first.snapshot_id)} » ne peut pas être servi "
            f"({fmt.as_text(first.reason)}). ")
    if serving is None:
        text += "Aucun snapshot intact ne le précède : aucune page ne peut être affichée. "
    else:
        published = fmt.date_fr(dt.datetime.fromisoformat(serving.manifest["created_at"]).date())
        text += (f"En attendant, le site affiche le snapshot précédent « {fmt.as_text(serving.id)} », publié le "
                 f"{published}. ")
    return text + ("Pour l'administrateur : `python -m observatory snapshots verify`, puis `snapshots rollback` "
                   "ou un nouvel import.")


def selected_filters() -> Filters:
    value = st.session_state.get(FILTERS_KEY)
    return value if isinstance(value, Filters) else Filters()

