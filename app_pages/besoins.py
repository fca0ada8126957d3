"""Besoins en main-d'œuvre (France Travail): real official figures for the sector's occupations."""

from __future__ import annotations

import streamlit as st

from observatory import formatting as fmt
from observatory import views
from observatory.ui import card, resources, shell
from observatory.views import labour_needs

selection = shell.selected_filters()
st.title("Besoins en main-d'œuvre (France Travail)")
snapshot = resources.active_snapshot()
if not labour_needs.available(snapshot):
    st.info("Les données de l'enquête Besoins en main-d'œuvre ne sont pas encore chargées. Un administrateur les "
            "télécharge avec `python -m observatory sources pull` (ou `--mirror DOSSIER` sans réseau).")
    st.stop()
source = labour_needs.source_of(snapshot)
st.success(f"**Données officielles réelles** : {fmt.as_text(source['producer'])}, {fmt.as_text(source['title'])}. "
           "Projets de recrutement "
           "déclarés pour l'année par **tous les employeurs** (pas seulement ceux du secteur), pour les métiers "
           "du secteur, par région. Les filtres de "
           "région et de métier s'appliquent ; les autres (année, branche, sexe, âge, taille) ne concernent pas "
           "cette enquête.", icon=":material/verified:")
content = views.page_content("besoins", resources.table_builder(), selection)
card.page_body(content, wide=4)
