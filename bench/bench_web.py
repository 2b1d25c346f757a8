"""Page load times of the web app in headless chromium against a running server (for example one serving a
portfolio from ``bench/generate.py --services 20000``): each page from a blank tab until every section has loaded.

    python bench/generate.py --services 20000 --out /tmp/p20k.json
    GRAPH_ITSM_DATA_DIR=/tmp/p20k graph-itsm import /tmp/p20k.json
    GRAPH_ITSM_DATA_DIR=/tmp/p20k graph-itsm serve --port 8000 &
    python bench/bench_web.py --base http://127.0.0.1:8000 --service svc-018973 --failed svc-018973 \
        --token "$(GRAPH_ITSM_DATA_DIR=/tmp/p20k graph-itsm token create --name bench --role architect,finance)"

Prints one line a page (seconds, requests made, requests off the origin, error boxes shown). Needs chromium and
playwright. ``--token`` signs the tab in (analytics needs an architect; without one that page says so)."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import urllib.request
from pathlib import Path


def first_service(base: str) -> str:
    body = json.dumps({"query": "{ services(first: 1, filter: {kind: CUSTOMER_FACING}) { nodes { id } } }"}).encode()
    req = urllib.request.Request(base + "/graphql", data=body, headers={"content-type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())["data"]["services"]["nodes"][0]["id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--service", help="service page and graph to open (default: the first customer-facing one)")
    parser.add_argument("--failed", help="service to fail on the impact page (default: --service)")
    parser.add_argument("--screenshots", type=Path, help="folder to save a screenshot of each page in")
    parser.add_argument("--token", help="a bearer token the tab signs in with")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or sys.exit("no chromium on PATH")
    service = args.service or first_service(args.base)
    failed = args.failed or service
    pages = {
        "portfolio": "/#/portfolio",
        "portfolio-filtered": "/#/portfolio?kind=SUPPORTING&stage=CATALOGUE&q=svc-01",
        "service": f"/#/service/{service}?depth=2",
        "service-depth-4": f"/#/service/{service}?depth=4",
        "service-hub": f"/#/service/{failed}?depth=2",
        "impact": f"/#/impact?failed={failed}",
        "finance": "/#/finance",
        "relationships": "/#/relationships",
        "analytics": "/#/analytics/find_single_points_of_failure",
        "analytics-run": "/#/analytics/find_single_points_of_failure?run=1",
        "graphiql": "/graphql",
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-dev-shm-usage"])
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        if args.token:
            context.add_init_script(f"sessionStorage.setItem('graph-itsm-token', {json.dumps(args.token)})")
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        for name, path in pages.items():
            page.goto("about:blank")
            requests.clear()
            start = time.monotonic()
            page.goto(args.base + path)
            if "#" in path:
                page.wait_for_selector("main h1")
                while page.locator(".loading").count():
                    time.sleep(0.05)
            else:
                page.wait_for_selector(".graphiql-editor")
            page.wait_for_load_state("networkidle")
            seconds = time.monotonic() - start
            off = [u for u in requests if not u.startswith(args.base) and not u.startswith(("about:", "data:", "blob:"))]
            shown = page.locator("text=/\\d+ services shown/").all_inner_texts()
            errors = page.locator(".error").count()
            print(f"{name:20s} {seconds:6.2f} s  {len(requests):4d} requests  {len(off)} off-origin  {errors} errors  "
                  f"{' '.join(shown)}", flush=True)
            if args.screenshots:
                args.screenshots.mkdir(parents=True, exist_ok=True)
                try:
                    page.screenshot(path=str(args.screenshots / f"{name}.png"), full_page=True, timeout=60000)
                except Exception as e:  # a screenshot is a nicety; the timing is the point
                    print(f"  (no screenshot of {name}: {e.__class__.__name__})")
        browser.close()


if __name__ == "__main__":
    main()
