#!/usr/bin/env python3
"""Loads a trends dashboard in headless Chromium at 1400x900 and reports what the first
screen holds, as JSON; writes a screenshot of that screen only.

Usage: first_screen.py CHROMIUM PAGE.html SCREENSHOT.png PROFILE_DIR

Prints {viewport: {width, height}, answer: {top, bottom, left, right, text},
decider: {top, bottom, left, right, bars}}: the boxes of the answer banner
(#answer) and of the deciding chart (svg.decider) as laid out, in CSS pixels from
the top left of the page, before any scrolling. The Rust test judges it. Drives the
browser with browse.py's DevTools pipe.
"""

import base64
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from browse import Browser, fail  # noqa: E402

WIDTH, HEIGHT = 1400, 900

BOXES = """JSON.stringify((() => {
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const answer = document.querySelector('#answer');
  const decider = document.querySelector('svg.decider');
  const a = box(answer); if (a) a.text = answer.innerText;
  const d = box(decider); if (d) d.bars = decider.querySelectorAll('rect > title').length;
  return {viewport: {width: window.innerWidth, height: window.innerHeight}, answer: a, decider: d};
})())"""


def main():
    if len(sys.argv) != 5:
        fail("usage: first_screen.py CHROMIUM PAGE.html SCREENSHOT.png PROFILE_DIR")
    chromium, page, screenshot, profile = sys.argv[1:]
    url = pathlib.Path(page).resolve().as_uri()
    browser = Browser(chromium, profile)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})
        attached = browser.send("Target.attachToTarget", {"targetId": target["result"]["targetId"], "flatten": True})
        session = attached["result"]["sessionId"]
        browser.send("Page.enable", session=session)
        browser.send("Runtime.enable", session=session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait(lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == session)
        reply = browser.send("Runtime.evaluate", {"expression": BOXES, "returnByValue": True}, session=session)
        seen = json.loads(reply["result"]["result"]["value"])
        shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
        pathlib.Path(screenshot).write_bytes(base64.b64decode(shot["result"]["data"]))
        print(json.dumps(seen))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
