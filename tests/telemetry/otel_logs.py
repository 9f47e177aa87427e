#!/usr/bin/env python3
"""Writes OTLP JSON Lines logs shaped like Claude Code's `claude_code.api_request` events,
with the official OpenTelemetry Python SDK and its JSON file exporter
(`opentelemetry-sdk` 1.45.x, `opentelemetry-exporter-otlp-json-file` 0.66b1, whose logs
exporter is importable only from its private module `_log_exporter`).

Usage: otel_logs.py PLAN.json OUT.jsonl

The plan (JSON):

    {
      "resources": {             # resource name -> its attributes (what an organisation
                                 # sets through OTEL_RESOURCE_ATTRIBUTES)
        "pay": {"service.name": "claude-code", "team.id": "payments",
                "workflow.name": "review", "workflow.variant": "v1"}
      },
      "events": [
        {
          "resource": "pay",
          "timestamp_ns": 1763287200000000000,
          "session": "s-1",                  # -> session.id
          "model": "claude-sonnet-4-5",      # -> model
          "cost_usd": 0.0123,                # -> cost_usd
          "input_tokens": 100,               # -> input_tokens
          "output_tokens": 20,               # -> output_tokens
          "cache_read_tokens": 5,            # -> cache_read_tokens
          "cache_creation_tokens": 7,        # -> cache_creation_tokens
          "strings": true,                   # optional: numbers sent as strings, as
                                             # Claude Code sends some of them
          "event": "api_request",            # optional: event.name (default api_request)
          "attributes": {}                   # any other attributes
        }
      ]
    }
"""

import json
import sys

from opentelemetry.exporter.otlp.json.file._log_exporter import FileLogExporter
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource

NUMBERS = ["cost_usd", "input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens"]


def attributes_of(event):
    name = event.get("event", "api_request")
    attributes = {"event.name": name, "session.id": event["session"], "model": event["model"]}
    for field in NUMBERS:
        if field in event:
            value = event[field]
            attributes[field] = str(value) if event.get("strings") else value
    attributes.update(event.get("attributes", {}))
    return "claude_code." + name, attributes


def main(plan_path, out_path):
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    with open(out_path, "w", encoding="utf-8") as out:
        providers = {}
        for name, attributes in plan["resources"].items():
            provider = LoggerProvider(resource=Resource.create(attributes))
            provider.add_log_record_processor(SimpleLogRecordProcessor(FileLogExporter(stream=out)))
            providers[name] = provider
        for event in plan["events"]:
            logger = providers[event["resource"]].get_logger("com.anthropic.claude_code.events", "1.0")
            body, attributes = attributes_of(event)
            logger.emit(
                timestamp=event["timestamp_ns"],
                observed_timestamp=event["timestamp_ns"],
                body=body,
                attributes=attributes,
            )
        for provider in providers.values():
            provider.shutdown()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: otel_logs.py PLAN.json OUT.jsonl")
    main(sys.argv[1], sys.argv[2])
