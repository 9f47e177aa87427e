-- run_groups.bigquery.sql: a sprint's runs aggregated into the snapshot's `run_groups`
-- (GoogleSQL, BigQuery). NOT RUN BY THE TESTS: no BigQuery is reachable from CI. It was
-- respelled from run_groups.duckdb.sql (sqlglot 30.31, then corrected by hand where
-- sqlglot is wrong: it passes `round_even` through unchanged, formats a TIMESTAMP with
-- FORMAT_DATE, keeps a tuple in MIN_BY, and puts NULLS LAST on every ORDER BY key).
-- Check its rows against run_groups.duckdb.sql's on a sample before trusting it.
--
-- Input: a table or view `runs` (qualify it: `project.dataset.runs`), one row per run:
-- id STRING
-- squad STRING
-- workflow STRING
-- variant STRING
-- pool STRING
-- input_tokens INT64
-- output_tokens INT64
-- cost FLOAT64
-- outcome STRING
-- started_at TIMESTAMP
-- workflow and variant are NULL for an untagged run. A TIMESTAMP is an instant with
-- microseconds: finer digits are gone (two runs in one microsecond tie, and the smallest
-- id is first); it holds no leap second. `cost` FLOAT64, not NUMERIC: ROUND's
-- ROUND_HALF_EVEN mode is for NUMERIC, and casting the product to NUMERIC first rounds
-- it to 9 decimals (0.49999999999999994 becomes 0.5, a tie bursar does not see).
--
-- Output: the handbook's run-group columns, the same rows as run_groups.duckdb.sql.

SELECT squad, workflow, variant, pool, outcome,
       COUNT(*)                                              AS count,
       -- INT64 sums: an overflow is an error, not a wrong total
       SUM(input_tokens)                                     AS input_tokens,
       SUM(output_tokens)                                    AS output_tokens,
       -- ROUND on FLOAT64 takes ties away from zero: a tie (fraction exactly .5, which
       -- FLOAT64 holds exactly) goes to 2 * ROUND(x / 2), the even neighbour
       SUM(CAST(IF(micros - FLOOR(micros) = 0.5, 2 * ROUND(micros / 2), ROUND(micros))
                AS INT64))                                   AS cost_micros,
       FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E6SZ', MIN(started_at), 'UTC')
                                                             AS first_started_at,
       -- the earliest run, the smallest id among runs at that instant (STRING order is
       -- by code point, as bursar's by UTF-8 bytes)
       ARRAY_AGG(id ORDER BY started_at, id LIMIT 1)[OFFSET(0)] AS first_run_id
FROM (SELECT *, cost * 1000000 AS micros FROM runs)
GROUP BY squad, workflow, variant, pool, outcome
ORDER BY squad, workflow NULLS LAST, variant NULLS LAST, pool, outcome;
