-- run_groups.datafusion.sql: a sprint's runs aggregated into the snapshot's `run_groups`
-- (Apache DataFusion SQL; run by tests/suite/warehouse.rs with the `datafusion` Python
-- package, the .ci/run pins).
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
-- started_at Timestamp(Microsecond, Some("UTC"))
-- (Arrow types: DataFusion's SQL TIMESTAMP is a zoneless Timestamp(Nanosecond); a
-- Parquet TIMESTAMP(MICROS, UTC) column reads as the type above.)
-- workflow and variant are NULL for an untagged run. At microsecond precision finer
-- digits are gone before the query sees them (two runs in one microsecond tie, and the
-- smallest id is first); no leap second (`:60`). `cost` DOUBLE, not DECIMAL.
--
-- Output: the handbook's run-group columns, the same rows as run_groups.duckdb.sql.

SELECT squad, workflow, variant, pool, outcome,
       count(*)                                              AS count,
       -- BIGINT sums wrap round: sum exact decimals, so a total past bursar's 64-bit
       -- limit reaches it whole, and is refused
       sum(CAST(input_tokens AS DECIMAL(38, 0)))             AS input_tokens,
       sum(CAST(output_tokens AS DECIMAL(38, 0)))            AS output_tokens,
       -- no half-to-even function, and round() takes ties away from zero: a tie (the
       -- fraction exactly .5, which binary64 holds exactly) goes to 2 * round(x / 2),
       -- the even neighbour; x / 2 is exact and no longer a tie
       sum(CAST(CASE WHEN micros - floor(micros) = 0.5 THEN 2 * round(micros / 2)
                     ELSE round(micros) END AS BIGINT))      AS cost_micros,
       -- the zone cast: the output in UTC whatever zone the column carries
       to_char(arrow_cast(min(started_at), 'Timestamp(Microsecond, Some("UTC"))'),
               '%Y-%m-%dT%H:%M:%S%.6fZ')                     AS first_started_at,
       -- the earliest run, the smallest id among runs at that instant
       first_value(id ORDER BY started_at, id)               AS first_run_id
FROM (SELECT *, cost * 1000000 AS micros FROM runs) AS runs
GROUP BY squad, workflow, variant, pool, outcome
ORDER BY squad, workflow NULLS LAST, variant NULLS LAST, pool, outcome;
