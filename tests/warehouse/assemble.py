"""Groups a snapshot's runs as a warehouse would: loads them into DuckDB, runs
warehouse/run_groups.sql, and writes the grouped snapshot the README describes (the same
document with `runs` replaced by `run_groups`).

Usage: python3 assemble.py SQL SNAPSHOT OUT [SNAPSHOT OUT]...
(several pairs in one process: importing DuckDB costs more than grouping a small sprint)
Exit 0 when every OUT is written (each whole, through a temporary file), 2 on bad input
(that OUT not written, nor the ones after it), 3 when the duckdb module cannot be
imported (the test then says what to install).
"""

import json
import os
import sys
import tempfile

try:
    import duckdb
except ImportError as err:
    print(f"error: cannot import duckdb: {err}", file=sys.stderr)
    sys.exit(3)

# A warehouse session is seldom in UTC: run the query in a zone with an offset, so that a
# query formatting instants in the session's zone is caught.
SESSION_TIME_ZONE = "Asia/Kolkata"

RUN_COLUMNS = """
    id VARCHAR NOT NULL, squad VARCHAR NOT NULL, workflow VARCHAR, variant VARCHAR,
    pool VARCHAR NOT NULL, input_tokens UBIGINT NOT NULL, output_tokens UBIGINT NOT NULL,
    cost DOUBLE NOT NULL, outcome VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL
"""

GROUP_COLUMNS = [
    "squad", "workflow", "variant", "pool", "outcome", "count", "input_tokens",
    "output_tokens", "cost_micros", "first_started_at", "first_run_id",
]


class BadInput(Exception):
    """An input this script refuses, its message in the house style."""


def load_runs(con, runs, scratch):
    """Creates table `runs`, one row per run, columns as in the snapshot."""
    con.execute(f"CREATE TABLE runs ({RUN_COLUMNS})")
    # Through a file DuckDB reads natively: binding Python lists as parameters takes
    # seconds per thousand runs. Each cost is written as Python's shortest repr of the
    # double the snapshot's text parses to, so DuckDB reads back the same double;
    # float() so a cost written as `2` is still a DOUBLE, as bursar reads it.
    lines = os.path.join(scratch, "runs.ndjson")
    with open(lines, "w", encoding="utf-8") as f:
        for r in runs:
            f.write(json.dumps({**r, "cost": float(r["cost"])}, ensure_ascii=False))
            f.write("\n")
    # The instant is parsed by DuckDB from the RFC 3339 text, offsets applied; upper()
    # because DuckDB refuses the lowercase `t`/`z` that RFC 3339 allows.
    con.execute(
        """
        INSERT INTO runs
        SELECT id, squad, workflow, variant, pool, input_tokens, output_tokens, cost,
               outcome, CAST(upper(started_at) AS TIMESTAMPTZ)
        FROM read_json(?, format = 'newline_delimited', columns = {
            id: 'VARCHAR', squad: 'VARCHAR', workflow: 'VARCHAR', variant: 'VARCHAR',
            pool: 'VARCHAR', input_tokens: 'UBIGINT', output_tokens: 'UBIGINT',
            cost: 'DOUBLE', outcome: 'VARCHAR', started_at: 'VARCHAR'})
        """,
        [lines],
    )


def group(query, runs):
    """The rows `query` returns over `runs`, as run group objects."""
    con = duckdb.connect()
    con.execute(f"SET TimeZone = '{SESSION_TIME_ZONE}'")
    with tempfile.TemporaryDirectory() as scratch:
        load_runs(con, runs, scratch)
    rows = con.execute(query).fetchall()
    return [dict(zip(GROUP_COLUMNS, row)) for row in rows]


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


def assemble(query, sql_path, snapshot_path, out_path):
    snapshot = read(snapshot_path, "json")
    if not isinstance(snapshot, dict) or not isinstance(snapshot.get("runs"), list):
        raise BadInput(f"{snapshot_path}: no `runs` array to group")
    if "run_groups" in snapshot:
        raise BadInput(f"{snapshot_path}: `run_groups` already present")
    try:
        groups = group(query, snapshot["runs"])
    except (duckdb.Error, KeyError, TypeError, ValueError) as err:
        raise BadInput(f"{snapshot_path}: grouping with `{sql_path}` failed: {err}") from err
    # `runs` replaced in place, every other field as it was.
    grouped = {
        ("run_groups" if key == "runs" else key): (groups if key == "runs" else value)
        for key, value in snapshot.items()
    }
    write_whole(out_path, json.dumps(grouped, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    if len(sys.argv) < 4 or len(sys.argv) % 2 != 0:
        print("usage: python3 assemble.py SQL SNAPSHOT OUT [SNAPSHOT OUT]...", file=sys.stderr)
        sys.exit(2)
    sql_path, pairs = sys.argv[1], sys.argv[2:]
    try:
        query = read(sql_path, "text")
        for snapshot_path, out_path in zip(pairs[::2], pairs[1::2]):
            assemble(query, sql_path, snapshot_path, out_path)
    except BadInput as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
