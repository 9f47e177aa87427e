-- run_groups.sql: a sprint's runs aggregated in the warehouse into the snapshot's
-- `run_groups` (DuckDB dialect; tested with DuckDB by tests/suite/warehouse.rs).
--
-- Input: a table `runs` with the snapshot's run fields as columns:
--   id VARCHAR, squad VARCHAR, workflow VARCHAR (NULL when untagged),
--   variant VARCHAR (NULL when untagged), pool VARCHAR, input_tokens UBIGINT,
--   output_tokens UBIGINT, cost DOUBLE, outcome VARCHAR, started_at TIMESTAMPTZ.
-- `started_at` must be an instant (TIMESTAMPTZ, offsets applied), not the RFC 3339
-- string: `...T10:02:00+02:00` and `...T08:02:00Z` are the same instant, and text
-- order would not find the earliest run. DuckDB's cast refuses a lowercase `t` or `z`
-- (valid RFC 3339): cast upper(started_at). Warehouse timestamps hold microseconds, so
-- finer fractions are truncated, and DuckDB refuses a leap second (`:60`).
-- `cost` must be DOUBLE, not DECIMAL: bursar takes cost x 1,000,000 in f64, then
-- rounds half to even, and an exact decimal product can round a tie the other way.
--
-- Output: one row per (squad, workflow, variant, pool, outcome), with the handbook's
-- columns: count, input_tokens, output_tokens, cost_micros (the sum of each run's
-- micro-units, so the total is exact), first_started_at (RFC 3339 in UTC, microseconds)
-- and first_run_id (the earliest run; on equal instants the smallest id, as bursar
-- picks it). Write the rows as the snapshot's `run_groups`, in place of its `runs`.
--
-- BigQuery (not run here; the same query, respelled):
--   * rounding: ROUND on FLOAT64 rounds half away from zero, and its ROUND_HALF_EVEN
--     mode is for NUMERIC; casting the product to NUMERIC first rounds it to 9
--     decimals (0.49999999999999994 becomes 0.5), so round the FLOAT64 itself:
--     IF(x - FLOOR(x) = 0.5, 2 * ROUND(x / 2), ROUND(x)) with x = cost * 1000000.
--   * first run: no arg_min over a tuple; ARRAY_AGG(id ORDER BY started_at, id
--     LIMIT 1)[OFFSET(0)].
--   * time: started_at a TIMESTAMP (an instant there);
--     FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E6SZ', MIN(started_at), 'UTC').
--   * GROUP BY and ORDER BY as written; sums are INT64 already.
-- Spark SQL (not run here):
--   * rounding: bround(cost * 1000000, 0) is half to even on DOUBLE (round() is half up).
--   * first run: min_by(id, struct(started_at, id)), or min(struct(started_at, id)).id.
--   * time: date_format(min(started_at), "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'") formats in
--     the session time zone: set spark.sql.session.timeZone = UTC first. started_at a
--     TIMESTAMP (TIMESTAMP_LTZ), not TIMESTAMP_NTZ.
--   * CAST(... AS BIGINT) as here.

SELECT squad, workflow, variant, pool, outcome,
       count(*)                                            AS count,
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
