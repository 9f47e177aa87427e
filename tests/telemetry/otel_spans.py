#!/usr/bin/env python3
"""Writes OTLP JSON Lines traces with the official OpenTelemetry Python SDK and its JSON
file exporter (`opentelemetry-sdk` 1.45.x, `opentelemetry-exporter-otlp-json-file`
0.66b1), from a plan, so that tests read what the real client writes.

Usage: otel_spans.py PLAN.json OUT.jsonl

The plan (JSON):

    {
      "batch": false,            # optional: true exports through BatchSpanProcessor
                                 # (several spans a line); default one span a line, as
                                 # SimpleSpanProcessor writes them (children first)
      "resources": {             # resource name -> its attributes
        "payments": {"service.name": "agent", "team.id": "payments"}
      },
      "traces": [
        {
          "resource": "payments",          # which resource's provider emits it
          "trace_id": "0af7...(32 hex)",   # optional: the trace id to use
          "spans": [SPAN, ...]             # the trace's top-level spans
        }
      ]
    }

    SPAN = {
      "name": "invoke_agent planner",      # span name
      "span_id": "b7ad6b7169203331",       # optional: the span id to use
      "operation": "invoke_agent",         # -> gen_ai.operation.name (optional)
      "agent": "planner",                  # -> gen_ai.agent.name (optional)
      "version": "v2",                     # -> gen_ai.agent.version (optional)
      "workflow": "triage",                # -> gen_ai.workflow.name (optional)
      "request_model": "gpt-4o",           # -> gen_ai.request.model (optional)
      "response_model": "gpt-4o-2024",     # -> gen_ai.response.model (optional)
      "input_tokens": 120,                 # -> gen_ai.usage.input_tokens (optional)
      "output_tokens": 40,                 # -> gen_ai.usage.output_tokens (optional)
      "status": "error",                   # "ok", "error" or absent (unset)
      "start_ns": 1763287200000000000,     # start, Unix nanoseconds
      "end_ns": 1763287260000000000,       # end, Unix nanoseconds
      "attributes": {"team.id": "x"},      # any other attributes (str, int, float, bool,
                                           # or a list of one of those)
      "children": [SPAN, ...]              # spans started inside this one
    }

Ids not given are drawn by the SDK's own random generator.
"""

import json
import sys

from opentelemetry import trace
from opentelemetry.exporter.otlp.json.file import FileSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.trace import Status, StatusCode

FIELDS = {
    "operation": "gen_ai.operation.name",
    "agent": "gen_ai.agent.name",
    "version": "gen_ai.agent.version",
    "workflow": "gen_ai.workflow.name",
    "request_model": "gen_ai.request.model",
    "response_model": "gen_ai.response.model",
    "input_tokens": "gen_ai.usage.input_tokens",
    "output_tokens": "gen_ai.usage.output_tokens",
}


class PlannedIds(RandomIdGenerator):
    """Hands out the ids the plan names for the next span, random ones otherwise."""

    def __init__(self):
        self.trace_id = None
        self.span_id = None

    def generate_trace_id(self):
        if self.trace_id is not None:
            value, self.trace_id = self.trace_id, None
            return value
        return super().generate_trace_id()

    def generate_span_id(self):
        if self.span_id is not None:
            value, self.span_id = self.span_id, None
            return value
        return super().generate_span_id()


def emit(tracer, ids, span, parent_context):
    attributes = {key: span[field] for field, key in FIELDS.items() if field in span}
    attributes.update(span.get("attributes", {}))
    if "span_id" in span:
        ids.span_id = int(span["span_id"], 16)
    live = tracer.start_span(
        span["name"],
        context=parent_context,
        attributes=attributes,
        start_time=span["start_ns"],
    )
    context = trace.set_span_in_context(live)
    for child in span.get("children", []):
        emit(tracer, ids, child, context)
    status = span.get("status")
    if status == "error":
        live.set_status(Status(StatusCode.ERROR, span.get("status_message")))
    elif status == "ok":
        live.set_status(Status(StatusCode.OK))
    live.end(end_time=span["end_ns"])


def main(plan_path, out_path):
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    processor = BatchSpanProcessor if plan.get("batch") else SimpleSpanProcessor
    with open(out_path, "w", encoding="utf-8") as out:
        providers = {}
        for name, attributes in plan["resources"].items():
            ids = PlannedIds()
            provider = TracerProvider(resource=Resource.create(attributes), id_generator=ids)
            provider.add_span_processor(processor(FileSpanExporter(stream=out)))
            providers[name] = (provider, ids)
        for planned in plan["traces"]:
            provider, ids = providers[planned["resource"]]
            tracer = provider.get_tracer("bursar.tests.telemetry", "1.0")
            for span in planned["spans"]:
                if "trace_id" in planned:
                    ids.trace_id = int(planned["trace_id"], 16)
                emit(tracer, ids, span, trace.set_span_in_context(trace.INVALID_SPAN))
        for provider, _ in providers.values():
            provider.shutdown()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: otel_spans.py PLAN.json OUT.jsonl")
    main(sys.argv[1], sys.argv[2])
