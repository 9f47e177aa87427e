"""Groups a snapshot's runs as a warehouse would: loads them into an engine (DuckDB,
Spark in local mode, ClickHouse through chDB, DataFusion; or `reference`, the handbook's
rules in plain Python), runs a warehouse/run_groups.<engine>.sql file, and writes the
grouped snapshot the README describes (the same document with `runs` replaced by
`run_groups`).

Usage: python3 assemble.py ENGINE SQL SNAPSHOT OUT [SNAPSHOT OUT]...
(several pairs in one process: one engine session for all, as starting Spark costs more
than grouping a small sprint)
Exit 0 when every OUT is written (each whole, through a temporary file), 2 on bad input
(that OUT not written, nor the ones after it), 3 when the engine's Python module cannot
be imported (the test then says what to install).
"""

import importlib
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from engines import ENGINES, MODULES, as_group  # noqa: E402
from runs_table import (  # noqa: E402
    BadInput, input_columns, statements, warehouse_runs, write_parquet,
)


def read(path, what):
    try:
        with open(path, encoding="utf-8-sig") as f:
            return f.read() if what == "text" else json.load(f)
    except (OSError, ValueError) as err:
        raise BadInput(f"cannot read `{path}`: {err}") from err


def write_whole(path, text):
    """Writes `path` through a temporary file beside it: whole, or not at all."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".assemble-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def assemble(engine, query, sql_path, snapshot_path, out_path):
    snapshot = read(snapshot_path, "json")
    if not isinstance(snapshot, dict) or not isinstance(snapshot.get("runs"), list):
        raise BadInput(f"{snapshot_path}: no `runs` array to group")
    if "run_groups" in snapshot:
        raise BadInput(f"{snapshot_path}: `run_groups` already present")
    rows = warehouse_runs(snapshot["runs"], snapshot_path)
    settings, select = statements(query, sql_path)
    try:
        if isinstance(engine, ENGINES["reference"]):
            result = engine.group(settings, select, None, rows)
        else:
            with tempfile.TemporaryDirectory() as scratch:
                parquet = os.path.join(scratch, "runs.parquet")
                write_parquet(rows, parquet)
                result = engine.group(settings, select, input_columns(query), parquet)
        groups = [as_group(row) for row in result]
    except (*engine.errors, KeyError, TypeError, ValueError) as err:
        raise BadInput(f"{snapshot_path}: grouping with `{sql_path}` failed: {err}") from err
    # `runs` replaced in place, every other field as it was.
    grouped = {
        ("run_groups" if key == "runs" else key): (groups if key == "runs" else value)
        for key, value in snapshot.items()
    }
    write_whole(out_path, json.dumps(grouped, ensure_ascii=False, indent=1) + "\n")


def open_engine(name):
    if name not in ENGINES:
        raise BadInput(f"no engine `{name}`: one of {', '.join(sorted(ENGINES))}")
    for module in MODULES[name]:
        try:
            importlib.import_module(module)
        except ImportError as err:
            print(f"error: cannot import {module}: {err}", file=sys.stderr)
            sys.exit(3)
    return ENGINES[name]()


def main(argv):
    if len(argv) < 5 or len(argv) % 2 != 1:
        print("usage: python3 assemble.py ENGINE SQL SNAPSHOT OUT [SNAPSHOT OUT]...",
              file=sys.stderr)
        return 2
    name, sql_path, pairs = argv[1], argv[2], argv[3:]
    try:
        query = read(sql_path, "text")
        engine = open_engine(name)
        for snapshot_path, out_path in zip(pairs[::2], pairs[1::2]):
            assemble(engine, query, sql_path, snapshot_path, out_path)
    except BadInput as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
