"""Record keys (`rkey`) of imported rows: a keyed hash of each row's identity, in [0, 1).

The secrecy rules perturb a count with frac(sum of rkey), so the keys must be the same at every
re-import of the same rows (stable figures) and impossible to recompute without the secret
(an outsider who knows some rows cannot predict the noise). The secret is drawn once per
deployment and kept beside the data, outside git; `OBSERVATORY_RKEY_SECRET` (hex) overrides it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

from observatory import snapshots
from observatory.contracts import Contract

SECRET_FILE = ".rkey-secret"
SECRET_BYTES = 32


def secret(root: Path | None = None) -> bytes:
    configured = os.environ.get("OBSERVATORY_RKEY_SECRET")
    if configured:
        return bytes.fromhex(configured)
    path = (root or snapshots.data_dir()) / SECRET_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(SECRET_BYTES))
    return bytes.fromhex(path.read_text().strip())


def identities(frame: pd.DataFrame, contract: Contract) -> pd.Series:
    """One text per row naming what the row is: its key columns, or its whole content plus its
    rank among identical rows (two identical job openings are two openings)."""
    columns = list(contract.key or contract.names)
    text = pd.Series(contract.dataset, index=frame.index)
    for name in columns:
        text = text.str.cat(_canonical(frame[name]), sep="|")
    if contract.key is None:
        text = text.str.cat(frame.groupby(columns, dropna=False, sort=False).cumcount().astype(str), sep="#")
    return text


def record_keys(frame: pd.DataFrame, contract: Contract, key: bytes) -> np.ndarray:
    """frac-ready keys: the first 53 bits of a keyed BLAKE2b of each identity, over 2**53."""
    digests = [hashlib.blake2b(identity.encode(), digest_size=8, key=key).digest()
               for identity in identities(frame, contract)]
    words = np.frombuffer(b"".join(digests), dtype=">u8") >> np.uint64(11)
    return words.astype(np.float64) / float(2**53)


def _canonical(values: pd.Series) -> pd.Series:
    """The same text for the same value whatever file format it was read from."""
    if pd.api.types.is_float_dtype(values):
        return values.map(lambda v: "" if pd.isna(v) else f"{v:.6f}")
    if pd.api.types.is_bool_dtype(values):
        return values.map(lambda v: "" if pd.isna(v) else ("1" if v else "0"))
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").fillna("")
    return values.astype("string").fillna("").astype(str)
