"""The secrecy rules in the words the pages show, written from a SecrecyConfig: a caption never
states a threshold the protection does not apply."""

from __future__ import annotations

from observatory.secrecy import DEFAULT, SecrecyConfig


def secret_cells(unit: str, config: SecrecyConfig = DEFAULT) -> str:
    """A page caption's rule, counted in what the page's cells count (`personnes`, `offres`...)."""
    return f"Cellules de moins de {config.min_rows} {unit} ou {config.min_employers} structures : secret."


def export_note(config: SecrecyConfig = DEFAULT) -> str:
    """The rules in an exported page's notes: noise, perturbed sums, thresholds and dominance."""
    return (f"Secret statistique : effectifs légèrement perturbés (±{config.noise_bound} au plus), sommes aussi "
            f"(salaires, heures, coûts), cases de moins de {config.min_rows} personnes ou de "
            f"{config.min_employers} structures, ou dominées par une structure, non publiées (« secret »).")
