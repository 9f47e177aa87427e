-- run_groups.duckdb.sql: a sprint's runs aggregated in the warehouse into the snapshot's
-- `run_groups` (DuckDB; run by tests/suite/warehouse.rs with the DuckDB .ci/run pins).
--
-- Input: a table or view `runs`, one row per run, with these columns:
-- id VARCHAR
-- squad VARCHAR
-- workflow VARCHAR
-- variant VARCHAR
-- pool VARCHAR
-- input_tokens BIGINT
-- output_tokens BIGINT
-- cost DOUBLE
-- outcome VARCHAR
-- started_at TIMESTAMPTZ
-- workflow and variant are NULL for an untagged run. `started_at` must be an instant
-- (TIMESTAMPTZ, offsets applied), not the RFC 3339 text: `...T10:02:00+02:00` and
-- `...T08:02:00Z` are the same instant, and text order would not find the earliest run.
-- A TIMESTAMPTZ holds microseconds: finer digits are gone before the query sees them
-- (two runs in one microsecond tie, and the smallest id is first), and it holds no leap
-- second (`:60`). `cost` must be DOUBLE, not DECIMAL: bursar takes cost x 1,000,000 in
-- binary64, then rounds half to even, and an exact decimal product can round a tie the
-- other way (1.0000005 x 1e6 is 1000000.5000000001 in binary64: 1000001 micro-units).
--
-- Output: one row per (squad, workflow, variant, pool, outcome), with the handbook's
-- columns: count, input_tokens, output_tokens, cost_micros (the sum of each run's
-- micro-units, so the total is exact), first_started_at (RFC 3339 in UTC, microseconds)
-- and first_run_id (the earliest run; on equal instants the smallest id, as bursar
-- picks it). Write the rows as the snapshot's `run_groups`, in place of its `runs`.
-- The other engines' files (warehouse/README.md) give the same rows, byte for byte.

SELECT squad, workflow, variant, pool, outcome,
       count(*)                                            AS count,
       -- HUGEINT sums: a total past bursar's 64-bit limit reaches it whole, and is refused
       sum(input_tokens)                                   AS input_tokens,
       sum(output_tokens)                                  AS output_tokens,
       -- each run's exact micro-units, rounded half to even in DOUBLE, summed as integers
       sum(CAST(round_even(cost * 1000000, 0) AS BIGINT))  AS cost_micros,
       -- strftime formats a TIMESTAMPTZ in the session's time zone: convert to UTC
       -- first, or a session elsewhere writes local time with a `Z`
       strftime(min(started_at) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')
                                                           AS first_started_at,
       -- the earliest run, the smallest id among runs at that instant
       arg_min(id, (started_at, id))                       AS first_run_id
FROM runs
GROUP BY squad, workflow, variant, pool, outcome
-- the order bursar does not need, but the same runs then give the same bytes
ORDER BY squad, workflow NULLS LAST, variant NULLS LAST, pool, outcome;
