-- run_groups.clickhouse.sql: a sprint's runs aggregated into the snapshot's `run_groups`
-- (ClickHouse; run by tests/suite/warehouse.rs in chDB, ClickHouse in-process, the
-- .ci/run pins).
--
-- Input: a table or view `runs`, one row per run, with these columns:
-- id String
-- squad String
-- workflow Nullable(String)
-- variant Nullable(String)
-- pool String
-- input_tokens Int64
-- output_tokens Int64
-- cost Float64
-- outcome String
-- started_at DateTime64(6, 'UTC')
-- workflow and variant are NULL for an untagged run. `started_at` may carry any zone
-- (the instant is what counts; the output is formatted in UTC whatever the column's or
-- the session's zone). At scale 6 finer digits are gone before the query sees them
-- (two runs in one microsecond tie, and the smallest id is first); a DateTime64 holds
-- no leap second (`:60`). `cost` Float64, not Decimal: `round` on a Decimal rounds ties
-- away from zero, and an exact decimal product ties where bursar's binary64 does not.
--
-- Output: the handbook's run-group columns, the same rows as run_groups.duckdb.sql.

SELECT squad, workflow, variant, pool, outcome,
       count()                                              AS count,
       -- Int64 sums wrap round silently: sum in Int128, so a total past bursar's
       -- 64-bit limit reaches it whole, and is refused
       sum(toInt128(input_tokens))                          AS input_tokens,
       sum(toInt128(output_tokens))                         AS output_tokens,
       -- half to even on the Float64 product, as bursar
       sum(toInt64(roundBankers(cost * 1000000)))           AS cost_micros,
       -- the zone argument: otherwise the column's zone (or the session's) is written
       formatDateTime(min(started_at), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC')
                                                            AS first_started_at,
       -- the earliest run, the smallest id among runs at that instant
       argMin(id, (started_at, id))                         AS first_run_id
FROM runs
GROUP BY squad, workflow, variant, pool, outcome
ORDER BY squad, workflow NULLS LAST, variant NULLS LAST, pool, outcome;
