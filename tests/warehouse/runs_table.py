"""A snapshot's runs as a warehouse holds them: instants at microseconds, in UTC, one
Parquet file every engine reads (`write_parquet`), and the query files' parts
(`statements`, `input_columns`).

What a warehouse timestamp cannot hold is decided here, once, for every engine: digits
below the microsecond are dropped (toward the past, as a TIMESTAMP(6) column truncates
them), and a leap second (`:60`) is refused, since no engine's timestamp has one.
"""

import datetime
import re

RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})"
)
EPOCH = datetime.date(1970, 1, 1).toordinal()


class BadInput(Exception):
    """An input this harness refuses, its message in the house style."""


def instant_micros(text, where):
    """Microseconds since the epoch of an RFC 3339 date-time, offsets applied."""
    m = RFC3339.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        raise BadInput(f"{where}: `{text}` is not an RFC 3339 date-time")
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    if second == 60:
        raise BadInput(
            f"{where}: `{text}` is a leap second, which no warehouse timestamp holds"
        )
    try:
        days = datetime.date(year, month, day).toordinal() - EPOCH
        datetime.time(hour, minute, second)
    except ValueError as err:
        raise BadInput(f"{where}: `{text}` is not a date-time ({err})") from err
    zone = m.group(8)
    offset = 0
    if zone not in ("Z", "z"):
        offset = (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60) * (1 if zone[0] == "+" else -1)
    micros = int(((m.group(7) or "") + "000000")[:6])
    return ((days * 86_400 + hour * 3600 + minute * 60 + second - offset) * 1_000_000) + micros


def format_micros(micros):
    """RFC 3339 in UTC with six fractional digits, as every query writes it."""
    at = datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=micros)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def warehouse_runs(runs, where):
    """The runs as rows: cost as the double bursar reads, started_at in microseconds."""
    rows = []
    for i, r in enumerate(runs):
        if not isinstance(r, dict):
            raise BadInput(f"{where}: /runs/{i} is not an object")
        try:
            rows.append({
                "id": r["id"], "squad": r["squad"], "workflow": r["workflow"],
                "variant": r["variant"], "pool": r["pool"],
                "input_tokens": int(r["input_tokens"]),
                "output_tokens": int(r["output_tokens"]),
                "cost": float(r["cost"]), "outcome": r["outcome"],
                "started_at": instant_micros(r["started_at"], f"{where}: /runs/{i}/started_at"),
            })
        except (KeyError, TypeError, ValueError) as err:
            raise BadInput(f"{where}: /runs/{i}: not a run ({err})") from err
    return rows


def write_parquet(rows, path):
    """One Parquet file of the runs, the types a warehouse export has."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {name: [r[name] for r in rows] for name in rows[0]} if rows else {}
    schema = pa.schema([
        ("id", pa.string()), ("squad", pa.string()), ("workflow", pa.string()),
        ("variant", pa.string()), ("pool", pa.string()), ("input_tokens", pa.int64()),
        ("output_tokens", pa.int64()), ("cost", pa.float64()), ("outcome", pa.string()),
        ("started_at", pa.timestamp("us", tz="UTC")),
    ])
    table = pa.table({f.name: pa.array(columns.get(f.name, []), f.type) for f in schema}, schema)
    pq.write_table(table, path)


def strip_comments(sql):
    """The SQL without `--` comments, quoted text kept as it is."""
    out, i, quote = [], 0, None
    while i < len(sql):
        c = sql[i]
        if quote:
            out.append(c)
            quote = None if c == quote else quote
        elif c in "'\"`":
            quote = c
            out.append(c)
        elif sql.startswith("--", i):
            while i < len(sql) and sql[i] != "\n":
                i += 1
            continue
        elif c == ";":
            out.append("\0")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def statements(sql, path):
    """(session settings, the one SELECT) of a query file, as the README says it is made."""
    parts = [s.strip() for s in strip_comments(sql).split("\0") if s.strip()]
    settings = [s for s in parts if s.split(None, 1)[0].upper() == "SET"]
    selects = [s for s in parts if s.split(None, 1)[0].upper() in ("SELECT", "WITH")]
    if len(selects) != 1 or parts != settings + selects:
        raise BadInput(f"{path}: not `SET` statements followed by one `SELECT`")
    return settings, selects[0]


HEADER_COLUMN = re.compile(r"-- ([a-z_]+) ([A-Z][A-Za-z0-9_]*(?:\(.*\))?(?: [A-Z ]+)?)")


def input_columns(sql):
    """The `-- name TYPE` lines of the header comment, in order."""
    header = sql.split("\n\n", 1)[0]
    return [m.groups() for m in map(HEADER_COLUMN.fullmatch, header.splitlines()) if m]
