-- run_groups.spark.sql: a sprint's runs aggregated into the snapshot's `run_groups`
-- (Spark SQL; run by tests/suite/warehouse.rs in Spark local mode, the .ci/run pins).
-- Run the statements in order in one session (spark.sql(...) each, or spark-sql -f);
-- warehouse/README.md shows a job reading runs from Parquet and writing JSON Lines.
--
-- Input: a table or view `runs`, one row per run, with these columns:
-- id STRING
-- squad STRING
-- workflow STRING
-- variant STRING
-- pool STRING
-- input_tokens BIGINT
-- output_tokens BIGINT
-- cost DOUBLE
-- outcome STRING
-- started_at TIMESTAMP
-- workflow and variant are NULL for an untagged run. `started_at` is a TIMESTAMP
-- (TIMESTAMP_LTZ, an instant), not TIMESTAMP_NTZ nor the RFC 3339 text. It holds
-- microseconds: finer digits are gone before the query sees them (two runs in one
-- microsecond tie, and the smallest id is first), and it holds no leap second (`:60`).
-- `cost` DOUBLE, not DECIMAL (see run_groups.duckdb.sql).
--
-- Output: the handbook's run-group columns, the same rows as run_groups.duckdb.sql.

-- date_format writes the session's local time: without this a session elsewhere writes
-- local time followed by `Z`
SET spark.sql.session.timeZone = UTC;
-- a sum past BIGINT fails the query instead of wrapping round to a wrong total
SET spark.sql.ansi.enabled = true;

SELECT squad, workflow, variant, pool, outcome,
       count(*)                                           AS count,
       sum(input_tokens)                                  AS input_tokens,
       sum(output_tokens)                                 AS output_tokens,
       -- bround is half to even (round is half up). On a DOUBLE it rounds the shortest
       -- decimal that reads back as the same double, which lies on the same side of
       -- every .5 as the double itself: the same integer as rounding the double.
       sum(CAST(bround(cost * 1000000, 0) AS BIGINT))     AS cost_micros,
       date_format(min(started_at), "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                                                          AS first_started_at,
       -- the earliest run, the smallest id among runs at that instant
       min_by(id, struct(started_at, id))                 AS first_run_id
FROM runs
GROUP BY squad, workflow, variant, pool, outcome
ORDER BY squad, workflow NULLS LAST, variant NULLS LAST, pool, outcome;
