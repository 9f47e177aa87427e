-- otel_traces.clickhouse.sql: a sprint's run groups straight from GenAI agent spans in
-- the OpenTelemetry Collector ClickHouse exporter's `otel_traces` table, with the same
-- defaults as `bursar import` (ClickHouse 24.4+ for WITH RECURSIVE; run by
-- tests/suite/warehouse_otel.rs in chDB on spans written by the OpenTelemetry SDK).
--
-- Input: the exporter's table `otel_traces` (other columns are not read):
-- Timestamp DateTime64(9)
-- TraceId String
-- SpanId String
-- ParentSpanId String
-- SpanName LowCardinality(String)
-- SpanKind LowCardinality(String)
-- ServiceName LowCardinality(String)
-- ResourceAttributes Map(LowCardinality(String), String)
-- SpanAttributes Map(LowCardinality(String), String)
-- Duration UInt64
-- StatusCode LowCardinality(String)
-- a table `prices`, each model's price per million tokens in the snapshot's currency:
-- model String
-- input Decimal(18, 6)
-- output Decimal(18, 6)
-- a table `catalog`, the base snapshot's catalog:
-- workflow String
-- variant String
-- status String
-- and the sprint's bounds as query parameters (SET param_sprint_start = '...'):
-- sprint_start DateTime64(9, 'UTC')  (the first day, 00:00:00 UTC)
-- sprint_end DateTime64(9, 'UTC')  (the day after the last, 00:00:00 UTC; not included)
--
-- What it takes, as `bursar import` does with no mapping:
-- * a run is an outermost span whose `gen_ai.operation.name` is `invoke_agent` or
--   `invoke_workflow` (no such span above it in its trace), started within the bounds;
--   its id is `otlp:<TraceId>:<SpanId>`, its start the span's Timestamp (nanoseconds);
-- * tokens (`gen_ai.usage.input_tokens`/`output_tokens`) on a span count unless a span
--   above it carries some: on the run span when there, else the nearest descendants
--   that carry them, never both; each counted span is priced by its
--   `gen_ai.response.model`, else `gen_ai.request.model`, in pico-units, and a run's cost
--   is its total rounded half to even to micro-units;
-- * squad: resource `team.id`, else the run span's `team.id`; workflow:
--   `gen_ai.workflow.name`, else `gen_ai.agent.name`; variant: `gen_ai.agent.version`;
-- * outcome `failure` when the run span's status is an error (`Error`, or
--   `STATUS_CODE_ERROR` as older exporters spell it), else `success`; SpanKind is not
--   read, so either spelling of it (`Internal`, `SPAN_KIND_INTERNAL`) is taken;
-- * pool `central` when (workflow, variant) is a `standard` catalog entry, else
--   `exploration`.
-- Refused (the query fails, naming the problem) where the import refuses: a run with no
-- team, a workflow without a variant or the reverse, a counted span whose model has no
-- price. Not checked here: that the squad is one of the base's (`bursar validate` on
-- the assembled snapshot says so), and nesting deeper than 10,000 spans.
--
-- Output: the handbook's run-group columns; first_started_at in UTC with nanoseconds,
-- as the spans hold them (no truncation: the earliest run is the import's).

WITH RECURSIVE
    -- the spans of traces with an agent span in the sprint: a run's descendants may
    -- start after the sprint ends, and its ancestors before it starts
    spans AS (
        SELECT TraceId AS trace, SpanId AS span, ParentSpanId AS parent, Timestamp AS at,
               Timestamp >= {sprint_start:DateTime64(9, 'UTC')}
                   AND Timestamp < {sprint_end:DateTime64(9, 'UTC')} AS in_sprint,
               StatusCode IN ('Error', 'STATUS_CODE_ERROR') AS error,
               SpanAttributes['gen_ai.operation.name'] IN ('invoke_agent', 'invoke_workflow')
                   AS agent,
               SpanAttributes['gen_ai.usage.input_tokens'] != ''
                   OR SpanAttributes['gen_ai.usage.output_tokens'] != '' AS usage,
               toUInt64OrZero(SpanAttributes['gen_ai.usage.input_tokens']) AS input_tokens,
               toUInt64OrZero(SpanAttributes['gen_ai.usage.output_tokens']) AS output_tokens,
               if(SpanAttributes['gen_ai.response.model'] != '',
                  SpanAttributes['gen_ai.response.model'],
                  SpanAttributes['gen_ai.request.model']) AS model,
               if(ResourceAttributes['team.id'] != '', ResourceAttributes['team.id'],
                  SpanAttributes['team.id']) AS team,
               nullIf(if(SpanAttributes['gen_ai.workflow.name'] != '',
                         SpanAttributes['gen_ai.workflow.name'],
                         SpanAttributes['gen_ai.agent.name']), '') AS workflow,
               nullIf(SpanAttributes['gen_ai.agent.version'], '') AS variant
        FROM otel_traces
        WHERE TraceId IN (
            SELECT TraceId FROM otel_traces
            WHERE Timestamp >= {sprint_start:DateTime64(9, 'UTC')}
              AND Timestamp < {sprint_end:DateTime64(9, 'UTC')}
              AND SpanAttributes['gen_ai.operation.name'] IN ('invoke_agent', 'invoke_workflow'))
    ),
    -- every (span, ancestor) pair, the ancestor `depth` links up
    ancestry AS (
        SELECT trace, span, parent AS ancestor, 1 AS depth FROM spans WHERE parent != ''
        UNION ALL
        SELECT a.trace, a.span, s.parent, a.depth + 1
        FROM ancestry AS a JOIN spans AS s ON s.trace = a.trace AND s.span = a.ancestor
        WHERE s.parent != '' AND a.depth < 10000
    ),
    above AS (
        SELECT a.trace AS trace, a.span AS span,
               max(s.usage) AS usage_above,
               max(s.agent) AS agent_above,
               argMaxIf(s.span, a.depth, s.agent) AS outermost_agent
        FROM ancestry AS a JOIN spans AS s ON s.trace = a.trace AND s.span = a.ancestor
        GROUP BY a.trace, a.span
    ),
    placed AS (
        SELECT s.*, b.usage_above AS usage_above, b.agent_above AS agent_above,
               if(b.outermost_agent != '', b.outermost_agent, if(s.agent, s.span, ''))
                   AS run_span,
               s.agent AND NOT b.agent_above AND s.in_sprint AS is_run
        FROM spans AS s LEFT JOIN above AS b ON b.trace = s.trace AND b.span = s.span
        SETTINGS join_use_nulls = 0
    ),
    -- each counted span's tokens and cost in pico-units (a price per million tokens in
    -- micro-units is exactly the pico-units a token costs)
    counted AS (
        SELECT u.trace AS trace, u.run_span AS run_span,
               u.input_tokens AS input_tokens, u.output_tokens AS output_tokens,
               toUInt128(u.input_tokens) * toUInt128(p.input * 1000000)
                 + toUInt128(u.output_tokens) * toUInt128(p.output * 1000000)
                 + throwIf(p.model = '' OR p.model != u.model,
                           'a span with tokens names a model with no price in `prices`')
                   AS pico
        FROM placed AS u LEFT JOIN prices AS p ON p.model = u.model
        WHERE u.usage AND NOT u.usage_above AND u.run_span != ''
        SETTINGS join_use_nulls = 0
    ),
    runs AS (
        SELECT r.at AS at, concat('otlp:', lower(r.trace), ':', lower(r.span)) AS id,
               r.team AS squad, r.workflow AS workflow, r.variant AS variant,
               if(r.error, 'failure', 'success') AS outcome,
               sum(u.input_tokens) AS input_tokens, sum(u.output_tokens) AS output_tokens,
               sum(u.pico) AS pico
        FROM placed AS r LEFT JOIN counted AS u ON u.trace = r.trace AND u.run_span = r.span
        -- the checks name their condition in full: ClickHouse may run them on rows
        -- before the other conditions have left only the runs
        WHERE r.is_run
          AND throwIf(r.is_run AND r.team = '',
                      'a run span has no `team.id` (resource or span attribute)') = 0
          AND throwIf(r.is_run AND isNull(r.workflow) != isNull(r.variant),
                      'a run span has a workflow without a variant, or a variant without a workflow') = 0
        GROUP BY r.trace, r.span, r.at, r.team, r.workflow, r.variant, r.error
        SETTINGS join_use_nulls = 0
    )
SELECT squad, workflow, variant,
       if((workflow, variant) IN (SELECT workflow, variant FROM catalog
                                  WHERE status = 'standard'), 'central', 'exploration')
           AS pool,
       outcome,
       count()                                              AS count,
       sum(toInt128(input_tokens))                          AS input_tokens,
       sum(toInt128(output_tokens))                         AS output_tokens,
       -- each run's pico-units rounded half to even to micro-units, then summed
       sum(toInt128(intDiv(pico, 1000000)
           + multiIf(pico % 1000000 > 500000, 1,
                     pico % 1000000 = 500000, intDiv(pico, 1000000) % 2, 0)))
                                                            AS cost_micros,
       -- nanoseconds written out: `%f` writes six digits unless a setting says otherwise
       concat(formatDateTime(min(at), '%Y-%m-%dT%H:%i:%S', 'UTC'), '.',
              leftPad(toString(toUnixTimestamp64Nano(min(at)) % 1000000000), 9, '0'), 'Z')
                                                            AS first_started_at,
       argMin(id, (at, id))                                 AS first_run_id
FROM runs
GROUP BY squad, workflow, variant, pool, outcome
ORDER BY squad, workflow NULLS LAST, variant NULLS LAST, pool, outcome;
