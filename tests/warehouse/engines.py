"""The engines a query file runs in, each opened once (a Spark session takes seconds to
start) and asked to group one Parquet file of runs after another.

Every engine's session starts in a time zone that is not UTC, so a query formatting
instants in the session's zone is caught; the file's own `SET` statements come after.
`runs` is made from the Parquet file with the types the file's header lists, so a header
naming a column or type the query does not work with fails here.
"""

import json

# A warehouse session is seldom in UTC.
SESSION_TIME_ZONE = "Asia/Kolkata"

GROUP_COLUMNS = [
    "squad", "workflow", "variant", "pool", "outcome", "count", "input_tokens",
    "output_tokens", "cost_micros", "first_started_at", "first_run_id",
]
INTEGERS = {"count", "input_tokens", "output_tokens", "cost_micros"}

# Each engine's Python module: exit 3 (the test then names what to install) without it.
MODULES = {
    "duckdb": ["duckdb", "pyarrow"], "spark": ["pyspark", "pyarrow"],
    "clickhouse": ["chdb", "pyarrow"], "datafusion": ["datafusion", "pyarrow"],
    "reference": [],
}


def as_group(row):
    """A result row as a run group; sums of any engine's integer type become integers."""
    group = dict(zip(GROUP_COLUMNS, row))
    for name in INTEGERS:
        value = group[name]
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if int(value) != value:
            raise ValueError(f"`{name}` is {value!r}, not an integer")
        group[name] = int(value)
    return group


def typed_select(columns, source, cast):
    """`SELECT cast(col, TYPE) AS col, ... FROM source` for the header's columns."""
    if not columns:
        raise ValueError("its header lists no `-- name TYPE` input columns")
    return "SELECT " + ", ".join(f"{cast(n, t)} AS {n}" for n, t in columns) + f" FROM {source}"


def quoted(path):
    return "'" + path.replace("'", "''") + "'"


class DuckDB:
    def __init__(self):
        import duckdb

        self.errors = (duckdb.Error,)
        self.con = duckdb.connect()

    def group(self, settings, select, columns, parquet):
        self.con.execute(f"SET TimeZone = '{SESSION_TIME_ZONE}'")
        for s in settings:
            self.con.execute(s)
        source = f"read_parquet({quoted(parquet)})"
        view = typed_select(columns, source, lambda n, t: f"CAST({n} AS {t})")
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW runs AS {view}")
        return self.con.execute(select).fetchall()


# The Parquet file's columns (runs_table.write_parquet) in Spark's DDL.
PARQUET_SCHEMA = (
    "id STRING, squad STRING, workflow STRING, variant STRING, pool STRING, "
    "input_tokens BIGINT, output_tokens BIGINT, cost DOUBLE, outcome STRING, "
    "started_at TIMESTAMP"
)


class Spark:
    def __init__(self):
        from pyspark.errors import PySparkException
        from pyspark.sql import SparkSession

        self.errors = (PySparkException,)
        self.spark = (
            SparkSession.builder.master("local[1]")
            .appName("bursar-warehouse-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "1")
            # small data: compiling code and planning adaptively cost more than they save
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.extraJavaOptions", "-Duser.timezone=" + SESSION_TIME_ZONE)
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")

    def group(self, settings, select, columns, parquet):
        self.spark.sql(f"SET spark.sql.session.timeZone = {SESSION_TIME_ZONE}")
        self.spark.sql("SET spark.sql.ansi.enabled = false")
        for s in settings:
            self.spark.sql(s)
        # the file's schema given, so Spark runs no job to read it from the file
        self.spark.read.schema(PARQUET_SCHEMA).parquet(parquet).createOrReplaceTempView("raw_runs")
        view = typed_select(columns, "raw_runs", lambda n, t: f"CAST({n} AS {t})")
        self.spark.sql(f"CREATE OR REPLACE TEMP VIEW runs AS {view}")
        return [tuple(r) for r in self.spark.sql(select).collect()]


class ClickHouse:
    def __init__(self):
        from chdb import session

        self.errors = (Exception,)  # chDB raises plain exceptions for SQL errors
        self.session = session.Session()

    def group(self, settings, select, columns, parquet):
        self.session.query(f"SET session_timezone = '{SESSION_TIME_ZONE}'")
        for s in settings:
            self.session.query(s)
        source = f"file({quoted(parquet)}, Parquet)"
        view = typed_select(columns, source, lambda n, t: f"CAST({n} AS {t})")
        self.session.query(f"CREATE OR REPLACE VIEW runs AS {view}")
        text = self.session.query(
            select + " SETTINGS output_format_json_quote_64bit_integers = 0", "JSONCompactEachRow"
        )
        return [tuple(json.loads(line)) for line in str(text).splitlines() if line]


class DataFusion:
    def __init__(self):
        import datafusion

        self.errors = (Exception,)  # DataFusion raises plain exceptions for SQL errors
        self.ctx = datafusion.SessionContext()

    def group(self, settings, select, columns, parquet):
        self.ctx.sql(f"SET datafusion.execution.time_zone = '{SESSION_TIME_ZONE}'")
        for s in settings:
            self.ctx.sql(s)
        if self.ctx.table_exist("raw_runs"):
            self.ctx.deregister_table("raw_runs")
        self.ctx.register_parquet("raw_runs", parquet)

        def cast(name, sql_type):
            # an Arrow type (its header says so) through arrow_cast, a SQL type by CAST
            if "(" in sql_type:
                return f"arrow_cast({name}, {quoted(sql_type)})"
            return f"CAST({name} AS {sql_type})"

        self.ctx.sql(f"CREATE OR REPLACE VIEW runs AS {typed_select(columns, 'raw_runs', cast)}")
        return [tuple(r.values()) for r in self.ctx.sql(select).to_pylist()]


class Reference:
    """The handbook's rules written out in Python, over the same microsecond instants:
    what every engine must return, row for row. Python's round() on a float is exactly
    half to even."""

    errors = ()

    def group(self, settings, select, columns, rows):
        from runs_table import format_micros

        groups = {}
        for r in rows:
            key = (r["squad"], r["workflow"], r["variant"], r["pool"], r["outcome"])
            g = groups.setdefault(key, [0, 0, 0, 0, None])
            g[0] += 1
            g[1] += r["input_tokens"]
            g[2] += r["output_tokens"]
            g[3] += round(r["cost"] * 1_000_000)
            first = (r["started_at"], r["id"].encode())
            g[4] = first if g[4] is None else min(g[4], first)

        def order(key):
            s, w, v, p, o = key
            return (s.encode(), w is None, (w or "").encode(), v is None, (v or "").encode(),
                    p.encode(), o.encode())

        return [
            (*key, g[0], g[1], g[2], g[3], format_micros(g[4][0]), g[4][1].decode())
            for key, g in sorted(groups.items(), key=lambda kv: order(kv[0]))
        ]


ENGINES = {
    "duckdb": DuckDB, "spark": Spark, "clickhouse": ClickHouse,
    "datafusion": DataFusion, "reference": Reference,
}
