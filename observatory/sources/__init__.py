"""Official open-data connectors, one module per producer (README.md, « Données officielles ouvertes »).

Each `Connector` knows its canonical URL, its licence and its parser; `fetch` puts the file under
`data/raw/` (from the producer or from a local mirror folder) and `connector.parse` turns it into
Parquet-ready tables. Nothing here imports streamlit or writes a snapshot.
"""

from __future__ import annotations

from observatory.sources import bmo, cog, dares, geo
from observatory.sources.base import Connector, ParsedSource, SourceError, fetch, sha256

CONNECTORS: dict[str, Connector] = {connector.name: connector for connector in (
    cog.CONNECTOR, geo.CONNECTOR, bmo.CONNECTOR, dares.CONNECTOR,
)}

__all__ = ["CONNECTORS", "Connector", "ParsedSource", "SourceError", "fetch", "sha256"]
