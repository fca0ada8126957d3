"""The README's « Réglages » table holds every setting of the code with its value: each
`OBSERVATORY_*` variable read by the code, each variable the Makefile lets a command override,
and each limit (secrecy, DuckDB, caches, imports, downloads...), its value written the French
way equal to the code's. A variable read or a limit added without a row fails here."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import re
from pathlib import Path

from observatory import __main__ as cli
from observatory import cards, filters, parallel, runtime, secrecy, snapshots, sorted_values, tables, warehouse
from observatory.ingest import readers, record_keys, validation
from observatory.sources import base, bmo, dares
from observatory.views import memo
from tests.markdown_tables import code, table

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# Where the code that reads settings lives: the app, the library, its pages, the bench and the tests.
SOURCES = ("observatory", "app_pages", "bench", "tests", "dashboard.py")
SETTING = re.compile(r"OBSERVATORY_\w+")
# Module-level constants named as limits are (`MAX_...`, `..._SIZE`, `KEEP_...`, `..._WORKERS`).
LIMIT_NAME = re.compile(r"(^|_)(MAX|MIN|LIMITS?|SIZE|KEEP|WORKERS|TIMEOUT)(_|$)")
# Constants named so that are no setting a reader would change, and why.
NOT_LIMITS = {
    "maps.MIN_AREA": "a drawing threshold of the map's outlines",
}


def fr(value: float, unit: str = "") -> str:
    """A value as the README writes it: `1 024`, `0,85`, `20 s`."""
    text = f"{int(value):,}".replace(",", " ") if float(value).is_integer() else str(value).replace(".", ",")
    return f"{text} {unit}".strip()


def binary_size(size: int) -> str:
    """A size in bytes in Go or Mo (binary units, as the code's `1 << 30`)."""
    return fr(size / 2**30, "Go") if size >= 2**30 else fr(size / 2**20, "Mo")


def duckdb_size(setting: str) -> str:
    number, unit = re.fullmatch(r"(\d+)(GB|MB)", setting).groups()
    return f"{number} {'Go' if unit == 'GB' else 'Mo'}"


def default(function: object, parameter: str) -> object:
    return inspect.signature(function).parameters[parameter].default


CONFIG = secrecy.SecrecyConfig()
LIMITS = warehouse.Limits()
# Each limit row of the README: its name there -> its value as the README must write it.
EXPECTED: dict[str, str] = {
    "secrecy.SecrecyConfig.min_rows": fr(CONFIG.min_rows, "personnes"),
    "secrecy.SecrecyConfig.min_employers": fr(CONFIG.min_employers, "employeurs"),
    "secrecy.SecrecyConfig.dominance": fr(CONFIG.dominance),
    "secrecy.SecrecyConfig.noise_bound": fr(CONFIG.noise_bound),
    "secrecy.SecrecyConfig.noise_sd": fr(CONFIG.noise_sd),
    "secrecy.SecrecyConfig.key_buckets": fr(CONFIG.key_buckets),
    "secrecy.SecrecyConfig.table_seed": str(CONFIG.table_seed),
    "secrecy.SecrecyConfig.magnitude_low": fr(CONFIG.magnitude_low),
    "secrecy.SecrecyConfig.magnitude_high": fr(CONFIG.magnitude_high),
    "secrecy.SecrecyConfig.magnitude_seed": str(CONFIG.magnitude_seed),
    "secrecy.MAX_NAMED": fr(secrecy.MAX_NAMED),
    "warehouse.Limits.threads": fr(LIMITS.threads),
    "warehouse.Limits.memory_limit": duckdb_size(LIMITS.memory_limit),
    "warehouse.Limits.timeout_s": fr(LIMITS.timeout_s, "s"),
    "tables.MAX_DIMENSIONS": fr(tables.MAX_DIMENSIONS),
    "tables.CACHE_SIZE": fr(tables.CACHE_SIZE),
    "views.memo.SIZE": fr(memo.SIZE),
    "sorted_values.BESIDE_WORKERS": fr(sorted_values.BESIDE_WORKERS),
    "snapshots.ROW_GROUP_SIZE": fr(snapshots.ROW_GROUP_SIZE, "lignes"),
    "snapshots.KEEP_PREVIOUS": fr(snapshots.KEEP_PREVIOUS),
    "filters.MAX_VALUE_LENGTH": fr(filters.MAX_VALUE_LENGTH, "caractères"),
    "filters.MAX_QUOTED": fr(filters.MAX_QUOTED),
    "cards.MAX_LISTED": fr(cards.MAX_LISTED),
    "ingest.readers.XLSX_MAX_INFLATED": binary_size(readers.XLSX_MAX_INFLATED),
    "ingest.readers.XLSX_MAX_ENTRIES": fr(readers.XLSX_MAX_ENTRIES),
    "ingest.readers.XLSX_MAX_RATIO": fr(readers.XLSX_MAX_RATIO),
    "ingest.readers.XLSX_RATIO_FROM": binary_size(readers.XLSX_RATIO_FROM),
    "ingest.validation.DATE_BOUNDS": "du {:%d/%m/%Y} au {:%d/%m/%Y}".format(*validation.DATE_BOUNDS),
    "ingest.validation.EXAMPLES": fr(validation.EXAMPLES),
    "ingest.record_keys.SECRET_BYTES": fr(record_keys.SECRET_BYTES, "octets"),
    "__main__.MAX_PROBLEMS_SHOWN": fr(cli.MAX_PROBLEMS_SHOWN),
    "sources.base.fetch (timeout)": fr(default(base.fetch, "timeout"), "s"),
    "sources.bmo.HEADER_SEARCH_ROWS": fr(bmo.HEADER_SEARCH_ROWS, "lignes"),
    "sources.bmo.MIN_ROWS": fr(bmo.MIN_ROWS, "lignes"),
    "sources.dares.MIN_ROWS": fr(dares.MIN_ROWS, "lignes"),
    "runtime.Visits (quiet_s)": fr(default(runtime.Visits, "quiet_s"), "s"),
    "runtime.Visits.wait_idle (timeout_s)": fr(default(runtime.Visits.wait_idle, "timeout_s"), "s"),
}
# Constants the table documents under another row: the variable that sets them.
SET_BY_VARIABLE = {"parallel.WORKERS": "OBSERVATORY_PIECE_WORKERS"}


def _settings() -> dict[str, str]:
    rows = table(README.read_text(encoding="utf-8"), ("réglage", "valeur par défaut", "rôle"))
    written = {code(name): value for name, value, _meaning in rows}
    assert len(written) == len(rows), "un réglage écrit deux fois"
    return written


def _python_files() -> list[Path]:
    return sorted(path for source in SOURCES for path in
                  ([ROOT / source] if source.endswith(".py") else (ROOT / source).rglob("*.py")))


def _is_environ(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ")


def variables_read(source: str) -> set[str]:
    """The `OBSERVATORY_*` names a module reads: os.environ[...], os.environ.get, os.getenv."""
    read = set()
    for node in ast.walk(ast.parse(source)):
        name = None
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_environ(node.value):
            name = node.slice
        elif isinstance(node, ast.Call) and node.args and isinstance(node.func, ast.Attribute | ast.Name):
            func = node.func
            called = getattr(func, "attr", getattr(func, "id", None))
            of_environ = called in ("get", "setdefault", "pop") and _is_environ(getattr(func, "value", func))
            if of_environ or called == "getenv":
                name = node.args[0]
        if isinstance(name, ast.Constant) and isinstance(name.value, str) and SETTING.fullmatch(name.value):
            read.add(name.value)
    return read


def make_variables() -> dict[str, str]:
    """The Makefile's variables a command line may override (`NAME ?= default`)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return dict(re.findall(r"^(\w+) \?= (.*)$", text, flags=re.MULTILINE))


def limit_constants() -> set[str]:
    """Module-level numbers of the library named as limits, as `module.NAME`."""
    found = set()
    for path in (ROOT / "observatory").rglob("*.py"):
        module = path.relative_to(ROOT / "observatory").with_suffix("").as_posix().replace("/", ".")
        module = module.removesuffix(".__init__").removesuffix("__init__")
        names = {target.id for node in ast.parse(path.read_text(encoding="utf-8")).body
                 for target in (node.targets if isinstance(node, ast.Assign) else
                                [node.target] if isinstance(node, ast.AnnAssign) else [])
                 if isinstance(target, ast.Name) and LIMIT_NAME.search(target.id)}
        loaded = importlib.import_module(f"observatory.{module}".rstrip(".")) if names else None
        found |= {f"{module}.{name}" for name in names
                  if isinstance(getattr(loaded, name), int | float) and not isinstance(getattr(loaded, name), bool)}
    return found


def test_every_variable_the_code_reads_is_a_setting_of_the_readme() -> None:
    read = set().union(*(variables_read(path.read_text(encoding="utf-8")) for path in _python_files()))
    written = {name for name in _settings() if SETTING.fullmatch(name)}
    assert {"OBSERVATORY_DATA_DIR", "OBSERVATORY_RKEY_SECRET", "OBSERVATORY_WARM"} <= read
    assert written == read


def test_every_makefile_variable_is_a_setting_with_its_default() -> None:
    settings = _settings()
    variables = make_variables()
    assert {name: code(settings.get(name, "")) for name in variables} == variables
    others = set(settings) - set(EXPECTED) - set(variables)
    assert {name for name in others if not SETTING.fullmatch(name)} == set()


def test_every_limit_is_written_with_the_codes_value() -> None:
    settings = _settings()
    assert {name: settings.get(name) for name in EXPECTED} == EXPECTED


def test_every_parameter_and_limit_of_the_code_has_a_row() -> None:
    fields = {f"secrecy.SecrecyConfig.{f.name}" for f in dataclasses.fields(secrecy.SecrecyConfig)}
    fields |= {f"warehouse.Limits.{f.name}" for f in dataclasses.fields(warehouse.Limits)}
    assert fields <= set(EXPECTED)
    constants = limit_constants() - set(NOT_LIMITS)
    documented = set(EXPECTED) | set(SET_BY_VARIABLE)
    assert constants - documented == set(), "une limite sans ligne dans « Réglages » du README"
    assert parallel.WORKERS >= 1 and SET_BY_VARIABLE["parallel.WORKERS"] in _settings()


def test_the_check_sees_each_way_of_reading_a_variable() -> None:
    source = ('import os\nos.environ["OBSERVATORY_A"]\nos.environ.get("OBSERVATORY_B", "1")\n'
              'os.getenv("OBSERVATORY_C")\nos.environ["OBSERVATORY_D"] = "0"\nos.environ.get("HOME")\n')
    assert variables_read(source) == {"OBSERVATORY_A", "OBSERVATORY_B", "OBSERVATORY_C"}
