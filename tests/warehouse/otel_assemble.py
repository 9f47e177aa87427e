"""Groups OpenTelemetry spans as a ClickHouse holding them would: loads OTLP JSON Lines
(as the SDK's file exporter writes them) into chDB as the Collector's ClickHouse
exporter stores them (`otel_traces`), with `prices` from a `bursar import` mapping and
`catalog` from the base snapshot, runs warehouse/otel_traces.clickhouse.sql, and writes
the base with the groups as its `run_groups`.

Usage: python3 otel_assemble.py SQL BASE MAPPING.toml SPELLING OUT SPANS.jsonl...
SPELLING is how the exporter version spells status and kind: `new` (`Error`,
`Internal`) or `old` (`STATUS_CODE_ERROR`, `SPAN_KIND_INTERNAL`).
Exit 0 when OUT is written (whole, through a temporary file), 2 on bad input or a query
that refuses, 3 when chdb cannot be imported.
"""

import datetime
import json
import os
import sys
import tempfile
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from assemble import read, write_whole  # noqa: E402
from engines import as_group  # noqa: E402
from runs_table import BadInput, statements  # noqa: E402

try:
    from chdb import session
except ImportError as err:
    print(f"error: cannot import chdb: {err}", file=sys.stderr)
    sys.exit(3)

# The exporter's table (opentelemetry-collector-contrib, exporter/clickhouseexporter),
# the columns the query may read and their types.
COLUMNS = """
    Timestamp DateTime64(9), TraceId String, SpanId String, ParentSpanId String,
    TraceState String, SpanName LowCardinality(String), SpanKind LowCardinality(String),
    ServiceName LowCardinality(String),
    ResourceAttributes Map(LowCardinality(String), String),
    ScopeName String, ScopeVersion String,
    SpanAttributes Map(LowCardinality(String), String),
    Duration UInt64, StatusCode LowCardinality(String), StatusMessage String
"""
OTEL_TRACES = f"""CREATE TABLE otel_traces ({COLUMNS})
ENGINE = MergeTree ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))"""
STATUS = {
    "new": ["Unset", "Ok", "Error"],
    "old": ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"],
}
KIND = {
    "new": ["Unspecified", "Internal", "Server", "Client", "Producer", "Consumer"],
    "old": ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
            "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"],
}


def as_text(value):
    """An OTLP AnyValue as the exporter stores it in a map: a string."""
    if "stringValue" in value:
        return value["stringValue"]
    if "intValue" in value:
        return str(int(value["intValue"]))
    if "boolValue" in value:
        return "true" if value["boolValue"] else "false"
    if "doubleValue" in value:
        return repr(float(value["doubleValue"]))
    return json.dumps(value, separators=(",", ":"))


def attributes(items):
    return {a["key"]: as_text(a.get("value", {})) for a in items or []}


def exporter_rows(path, spelling):
    """The `otel_traces` rows of one OTLP JSON Lines file of traces."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as err:
                raise BadInput(f"{path}:{number}: not JSON ({err})") from err
            for rs in data.get("resourceSpans", []):
                resource = attributes(rs.get("resource", {}).get("attributes"))
                for ss in rs.get("scopeSpans", []):
                    scope = ss.get("scope", {})
                    for span in ss.get("spans", []):
                        start, end = int(span["startTimeUnixNano"]), int(span["endTimeUnixNano"])
                        yield {
                            "Timestamp": start, "TraceId": span["traceId"].lower(),
                            "SpanId": span["spanId"].lower(),
                            "ParentSpanId": span.get("parentSpanId", "").lower(),
                            "TraceState": span.get("traceState", ""),
                            "SpanName": span.get("name", ""),
                            "SpanKind": KIND[spelling][int(span.get("kind", 0))],
                            "ServiceName": resource.get("service.name", ""),
                            "ResourceAttributes": resource,
                            "ScopeName": scope.get("name", ""),
                            "ScopeVersion": scope.get("version", ""),
                            "SpanAttributes": attributes(span.get("attributes")),
                            "Duration": end - start,
                            "StatusCode": STATUS[spelling][int(span.get("status", {}).get("code", 0))],
                            "StatusMessage": span.get("status", {}).get("message", ""),
                        }


def literal(text):
    return "'" + str(text).replace("\\", "\\\\").replace("'", "\\'") + "'"


def load(s, base, mapping, spans, spelling, scratch):
    s.query(OTEL_TRACES)
    rows = os.path.join(scratch, "spans.ndjson")
    with open(rows, "w", encoding="utf-8") as f:
        for path in spans:
            for row in exporter_rows(path, spelling):
                f.write(json.dumps(row) + "\n")
    structure = COLUMNS.replace("Timestamp DateTime64(9)", "Timestamp Int64")
    s.query(f"INSERT INTO otel_traces SELECT * REPLACE (fromUnixTimestamp64Nano(Timestamp) "
            f"AS Timestamp) FROM file({literal(rows)}, JSONEachRow, {literal(structure)})")
    s.query("CREATE TABLE prices (model String, input Decimal(18, 6), output Decimal(18, 6)) "
            "ENGINE = Memory")
    for model, price in mapping.get("prices", {}).items():
        s.query(f"INSERT INTO prices VALUES ({literal(model)}, {literal(price['input'])}, "
                f"{literal(price['output'])})")
    s.query("CREATE TABLE catalog (workflow String, variant String, status String) ENGINE = Memory")
    for e in base.get("catalog", []):
        s.query(f"INSERT INTO catalog VALUES ({literal(e['workflow'])}, "
                f"{literal(e['variant'])}, {literal(e['status'])})")
    start = datetime.date.fromisoformat(base["sprint"]["start"])
    end = datetime.date.fromisoformat(base["sprint"]["end"]) + datetime.timedelta(days=1)
    s.query(f"SET param_sprint_start = '{start} 00:00:00'")
    s.query(f"SET param_sprint_end = '{end} 00:00:00'")


def main(argv):
    if len(argv) < 7 or argv[4] not in STATUS:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    sql_path, base_path, mapping_path, spelling, out_path = argv[1:6]
    try:
        sql, base = read(sql_path, "text"), read(base_path, "json")
        try:
            with open(mapping_path, "rb") as f:
                mapping = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise BadInput(f"cannot read `{mapping_path}`: {err}") from err
        settings, select = statements(sql, sql_path)
        s = session.Session()
        s.query("SET session_timezone = 'Asia/Kolkata'")
        with tempfile.TemporaryDirectory() as scratch:
            load(s, base, mapping, argv[6:], spelling, scratch)
            for setting in settings:
                s.query(setting)
            try:
                text = s.query(select + " SETTINGS output_format_json_quote_64bit_integers = 0",
                               "JSONCompactEachRow")
            except Exception as err:  # chDB raises plain exceptions for SQL errors
                raise BadInput(f"grouping with `{sql_path}` failed: {err}") from err
        groups = [as_group(json.loads(line)) for line in str(text).splitlines() if line]
        grouped = {k: v for k, v in base.items() if k not in ("runs", "run_groups")}
        grouped["run_groups"] = groups
        write_whole(out_path, json.dumps(grouped, ensure_ascii=False, indent=1) + "\n")
    except BadInput as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
