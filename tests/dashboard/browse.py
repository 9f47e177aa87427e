#!/usr/bin/env python3
"""Loads an HTML file in headless Chromium and reports what a browser saw, as JSON.

Usage: browse.py CHROMIUM PAGE.html SCREENSHOT.png PROFILE_DIR

Drives Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: the
browser reads commands on fd 3 and writes replies and events on fd 4, each message JSON
ending in a NUL byte), with nothing but the standard library. Prints one JSON object:
  console: console errors, exceptions and log entries at error level (text each)
  requests: every URL the page requested (the file itself included)
  charts: per <svg class="chart">, its title, drawn shapes, data marks (the shapes
    with a tooltip: bars, segments, points) and rendered size
  title: the document title
and writes a full-page screenshot. The Rust test (tests/suite/dashboard.rs) judges it.
Exits 2 with a message on stderr when the browser cannot be driven.
"""

import base64
import json
import os
import pathlib
import select
import subprocess
import sys
import time

# A guard against a browser that hangs, not a measurement: loading a local file takes
# well under a second.
DEADLINE_SECONDS = 90

CHARTS = """JSON.stringify([...document.querySelectorAll('svg.chart')].map(s => {
  const box = s.getBoundingClientRect();
  const inner = s.getBBox();
  return {
    title: (s.querySelector('title') || {}).textContent || '',
    shapes: s.querySelectorAll('rect, path, circle, line').length,
    marks: s.querySelectorAll('rect > title, g > title').length,
    width: box.width, height: box.height,
    drawn_width: inner.width, drawn_height: inner.height,
    view_width: s.viewBox.baseVal.width,
  };
}))"""


class Browser:
    def __init__(self, chromium, profile):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def on_fds_3_and_4():
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        args = [
            chromium,
            "--headless",
            "--remote-debugging-pipe",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=on_fds_3_and_4,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.deadline = time.monotonic() + DEADLINE_SECONDS

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        return self.wait(lambda m: m.get("id") == self.next_id)

    def wait(self, done):
        """Reads messages until `done` accepts one; keeps every event."""
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                if done(message):
                    if "error" in message:
                        fail(f"the browser refused a command: {message['error']}")
                    return message
            left = self.deadline - time.monotonic()
            if left <= 0:
                fail(f"the browser did not answer within {DEADLINE_SECONDS} s")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if ready:
                chunk = os.read(self.from_browser, 1 << 16)
                if not chunk:
                    fail("the browser closed the pipe")
                self.buffer += chunk

    def close(self):
        try:
            self.send("Browser.close")
        except SystemExit:
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def fail(message):
    print(f"browse.py: {message}", file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) != 5:
        fail("usage: browse.py CHROMIUM PAGE.html SCREENSHOT.png PROFILE_DIR")
    chromium, page, screenshot, profile = sys.argv[1:]
    url = pathlib.Path(page).resolve().as_uri()
    browser = Browser(chromium, profile)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})
        target_id = target["result"]["targetId"]
        attached = browser.send("Target.attachToTarget", {"targetId": target_id, "flatten": True})
        session = attached["result"]["sessionId"]
        for domain in ["Page", "Runtime", "Log", "Network"]:
            browser.send(f"{domain}.enable", session=session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1100, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait(lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == session)

        def evaluate(expression):
            reply = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
            return reply["result"]["result"].get("value")

        charts = json.loads(evaluate(CHARTS))
        title = evaluate("document.title")
        height = evaluate("Math.ceil(document.documentElement.scrollHeight)")
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1100, "height": int(height), "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)
        pathlib.Path(screenshot).write_bytes(base64.b64decode(shot["result"]["data"]))
        # Whatever the page logged while it loaded and was drawn has arrived by now: the
        # replies above came after it on the same pipe.
        console, requests = [], []
        for event in browser.events:
            if event.get("sessionId") != session:
                continue
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                console.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                console.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                console.append(params["entry"].get("text", ""))
            elif method == "Network.requestWillBeSent":
                requests.append(params["request"]["url"])
        print(json.dumps({"console": console, "requests": requests, "charts": charts, "title": title}))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
