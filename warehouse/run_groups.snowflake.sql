-- run_groups.snowflake.sql: a sprint's runs aggregated into the snapshot's `run_groups`
-- (Snowflake SQL). NOT RUN BY THE TESTS: no Snowflake is reachable from CI. It was
-- respelled from run_groups.duckdb.sql (sqlglot 30.31, then corrected by hand where
-- sqlglot is wrong: it passes `ROUND_EVEN` through unchanged, keeps a tuple in MIN_BY,
-- and leaves the `T` of the time format unquoted).
-- Check its rows against run_groups.duckdb.sql's on a sample before trusting it.
--
-- Input: a table or view `runs`, one row per run, with these columns:
-- id VARCHAR
-- squad VARCHAR
-- workflow VARCHAR
-- variant VARCHAR
-- pool VARCHAR
-- input_tokens NUMBER(38,0)
-- output_tokens NUMBER(38,0)
-- cost FLOAT
-- outcome VARCHAR
-- started_at TIMESTAMP_TZ(6)
-- workflow and variant are NULL for an untagged run. Snowflake timestamps can hold
-- nanoseconds: at scale 6, as above, two runs in one microsecond tie as in every other
-- engine (and the smallest id is first); at scale 9 the first run is the truly earliest
-- but first_started_at is still written at microseconds. No leap second. Leave `id`
-- without a collation: the smallest id is then by bytes, as bursar's. `cost` FLOAT
-- (binary64), not NUMBER: ROUND's 'HALF_TO_EVEN' mode is for NUMBER, where the exact
-- product 1.0000005 x 1e6 ties and rounds to 1000000 where bursar counts 1000001.
--
-- Output: the handbook's run-group columns, the same rows as run_groups.duckdb.sql.

SELECT squad, workflow, variant, pool, outcome,
       COUNT(*)                                              AS count,
       SUM(input_tokens)                                     AS input_tokens,
       SUM(output_tokens)                                    AS output_tokens,
       -- ROUND on FLOAT takes ties away from zero: a tie (fraction exactly .5, which a
       -- FLOAT holds exactly) goes to 2 * ROUND(x / 2), the even neighbour
       SUM(IFF(micros - FLOOR(micros) = 0.5, 2 * ROUND(micros / 2), ROUND(micros))
           ::NUMBER(38, 0))                                  AS cost_micros,
       TO_CHAR(CONVERT_TIMEZONE('UTC', MIN(started_at)), 'YYYY-MM-DD"T"HH24:MI:SS.FF6"Z"')
                                                             AS first_started_at,
       -- the earliest run, the smallest id among runs at that instant: MIN_BY has no
       -- tie-break, and ARRAY_AGG of a whole group can pass the 16 MB value limit
       MIN(IFF(started_at = first_at, id, NULL))             AS first_run_id
FROM (SELECT *, cost * 1000000 AS micros,
             MIN(started_at) OVER (PARTITION BY squad, workflow, variant, pool, outcome)
                 AS first_at
      FROM runs)
GROUP BY squad, workflow, variant, pool, outcome
ORDER BY squad, workflow NULLS LAST, variant NULLS LAST, pool, outcome;
