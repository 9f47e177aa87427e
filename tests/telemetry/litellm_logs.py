#!/usr/bin/env python3
"""Writes LiteLLM's standard logging payloads, one JSON object a line, as the real
`litellm` package hands them to a custom logger: every call is a `mock_response`
completion (no network; LITELLM_LOCAL_MODEL_COST_MAP=True keeps the cost map offline),
made at the instant the plan gives (a frozen clock, `freezegun`), and the logger writes
the `standard_logging_object` it receives, success and failure alike.

Usage: litellm_logs.py PLAN.json OUT.jsonl

The plan (JSON):

    {
      "calls": [
        {
          "at": "2026-11-17T10:00:00Z",     # when the call is made (frozen clock)
          "model": "gpt-4o-mini",           # a model LiteLLM's cost map prices
          "prompt": "hello",                # the user message (optional)
          "response": "hi there",           # the mocked completion text
          "fail": false,                    # true: the mock raises, the call fails
          "trace_id": "tr-1",               # optional: litellm_trace_id (records sharing
                                            # it are one run)
          "tags": ["workflow:triage"],      # optional: request tags (metadata.tags)
          "team_id": "t-42",                # optional: metadata.user_api_key_team_id
          "team_alias": "payments"          # optional: metadata.user_api_key_team_alias
        }
      ]
    }
"""

import json
import os
import site
import sys
import sysconfig
import threading
import time

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"

import litellm  # noqa: E402
from freezegun import freeze_time  # noqa: E402
from litellm.integrations.custom_logger import CustomLogger  # noqa: E402


class PayloadWriter(CustomLogger):
    """Keeps the standard logging object of every call, success or failure."""

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()
        self.payloads = []

    def _keep(self, kwargs):
        payload = kwargs.get("standard_logging_object")
        if payload is not None:
            with self.lock:
                self.payloads.append(payload)

    def log_success_event(self, kwargs, response_obj, start_time, end_time):
        self._keep(kwargs)

    def log_failure_event(self, kwargs, response_obj, start_time, end_time):
        self._keep(kwargs)


def machine_folders():
    """This machine's folders that a traceback's file paths start with (installed
    packages, the standard library, the working folder, home), longest first."""
    folders = {
        *site.getsitepackages(),
        site.getusersitepackages(),
        sysconfig.get_paths()["stdlib"],
        sysconfig.get_paths()["purelib"],
        os.getcwd(),
        os.path.expanduser("~"),
    }
    return sorted((f.rstrip("/") + "/" for f in folders if f and f != "/"), key=len, reverse=True)


def without_machine_paths(value, folders):
    """The payload as litellm gave it, but with each of this machine's folders cut from
    the paths its failure tracebacks name (`.../site-packages/litellm/main.py` becomes
    `litellm/main.py`): a committed file must not carry where it was made. Nothing
    bursar reads is a path."""
    if isinstance(value, dict):
        return {k: without_machine_paths(v, folders) for k, v in value.items()}
    if isinstance(value, list):
        return [without_machine_paths(v, folders) for v in value]
    if isinstance(value, str):
        for folder in folders:
            value = value.replace(folder, "")
    return value


def call(call_plan):
    metadata = {}
    if "tags" in call_plan:
        metadata["tags"] = call_plan["tags"]
    if "team_id" in call_plan:
        metadata["user_api_key_team_id"] = call_plan["team_id"]
    if "team_alias" in call_plan:
        metadata["user_api_key_team_alias"] = call_plan["team_alias"]
    kwargs = {}
    if "trace_id" in call_plan:
        kwargs["litellm_trace_id"] = call_plan["trace_id"]
    mock = call_plan.get("response", "ok")
    if call_plan.get("fail"):
        mock = litellm.exceptions.RateLimitError(
            message="mocked failure", llm_provider="openai", model=call_plan["model"]
        )
    try:
        litellm.completion(
            model=call_plan["model"],
            messages=[{"role": "user", "content": call_plan.get("prompt", "hello")}],
            mock_response=mock,
            metadata=metadata,
            num_retries=0,
            **kwargs,
        )
    except Exception:  # noqa: BLE001 - a planned failure; its payload is what counts
        if not call_plan.get("fail"):
            raise


def main(plan_path, out_path):
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    writer = PayloadWriter()
    litellm.callbacks = [writer]
    expected = len(plan["calls"])
    for call_plan in plan["calls"]:
        before = len(writer.payloads)
        with freeze_time(call_plan["at"]):
            call(call_plan)
            # Callbacks run on a worker thread: wait while the clock is still frozen,
            # so the payload's times are the planned ones.
            deadline = time.monotonic() + 30
            while len(writer.payloads) == before and time.monotonic() < deadline:
                time.sleep(0.01)
    if len(writer.payloads) != expected:
        sys.exit(f"litellm logged {len(writer.payloads)} payloads for {expected} calls")
    folders = machine_folders()
    with open(out_path, "w", encoding="utf-8") as out:
        for payload in writer.payloads:
            # `default=str` first, so values that are no JSON are cleaned as text too.
            clean = without_machine_paths(json.loads(json.dumps(payload, default=str)), folders)
            out.write(json.dumps(clean, sort_keys=True) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: litellm_logs.py PLAN.json OUT.jsonl")
    main(sys.argv[1], sys.argv[2])
    # Everything is written and closed; litellm's exit handlers would wait on its
    # worker threads for many seconds more.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
