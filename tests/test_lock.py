"""The locks (`make lock`) agree with the pins edited by hand, and pin every file by its hash."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A pinned requirement of a lock: its name and version, then its `--hash` options.
_ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s+--hash=\S+)*)", re.MULTILINE)


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _pins(path: Path) -> dict[str, str]:
    """The `name==version` lines of a file of pins, with those of the files it includes (-r)."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins |= _pins(path.parent / line[3:].strip())
        elif line:
            name, version = line.split("==")
            pins[_name(name)] = version
    return pins


def _locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """Each locked requirement: its version and its hashes."""
    return {_name(name): (version, re.findall(r"--hash=(\S+)", hashes))
            for name, version, hashes in _ENTRY.findall(path.read_text(encoding="utf-8"))}


@pytest.mark.parametrize(("pins", "lock"), [("requirements.txt", "requirements.lock"),
                                            ("requirements-dev.txt", "requirements-dev.lock")])
def test_a_lock_holds_every_pin_at_its_version_and_hashes_every_file(pins: str, lock: str) -> None:
    pinned = _pins(ROOT / pins)
    locked = _locked(ROOT / lock)
    assert {name: locked.get(name, (None,))[0] for name in pinned} == pinned, f"make lock after editing {pins}"
    lines = [line for line in (ROOT / lock).read_text(encoding="utf-8").splitlines() if "==" in line]
    assert len(lines) == len(locked) > len(pinned)  # every requirement parsed; dependencies too
    assert all(hashes and all(h.startswith("sha256:") for h in hashes) for _, hashes in locked.values())


def test_the_dev_lock_installs_the_runtime_lock_s_versions() -> None:
    runtime = _locked(ROOT / "requirements.lock")
    dev = _locked(ROOT / "requirements-dev.lock")
    assert {name: dev.get(name, (None,))[0] for name in runtime} == {name: v for name, (v, _) in runtime.items()}
