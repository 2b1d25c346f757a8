"""A real server and a real browser for the end-to-end tests: `graph-itsm serve --demo` in a subprocess on a free
loopback port with a temporary data directory (embedded database), and Debian's headless chromium driven by
Playwright through `executable_path` (no browser download). Without a chromium binary the browser tests skip and
say so."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

SCREENSHOTS = Path(__file__).parent / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def chromium_path() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and (found := shutil.which(name)):
            return found
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ARCHITECT_TOKEN: list[str] = []  # filled by live_server
VIEWER_TOKEN: list[str] = []
FINANCE_TOKEN: list[str] = []
CUSTOMER_TOKEN: list[str] = []  # bound to retail-bu


@contextlib.contextmanager
def serve_demo(tmp_path_factory: pytest.TempPathFactory, **extra_env: str) -> Iterator[tuple[str, dict[str, str]]]:
    """`graph-itsm serve --demo` on a free loopback port in a fresh data directory: (base URL, its environment)."""
    port = _free_port()
    env = {**os.environ, "GRAPH_ITSM_DATA_DIR": str(tmp_path_factory.mktemp("web-data")), **extra_env}
    env.pop("GRAPH_ITSM_DB", None)
    log = tmp_path_factory.mktemp("web-log") / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "graph_itsm.cli", "serve", "--demo", "--port", str(port)],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base, env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of `graph-itsm serve --demo` on the embedded database in a fresh data directory."""
    with serve_demo(tmp_path_factory) as (base, env):
        # tokens made as a user would: an architect's for the pages anonymous readers may not run, a viewer's and a
        # finance manager's for what each role is shown
        for role, kept in (("architect", ARCHITECT_TOKEN), ("viewer", VIEWER_TOKEN), ("finance", FINANCE_TOKEN)):
            made = subprocess.run([sys.executable, "-m", "graph_itsm.cli", "token", "create", "--name", f"e2e-{role}",
                                   "--role", role], env=env, capture_output=True, text=True, timeout=120)
            assert made.returncode == 0, made.stderr
            kept.append(made.stdout.strip())
        made = subprocess.run([sys.executable, "-m", "graph_itsm.cli", "token", "create", "--name", "e2e-retail",
                               "--role", "customer", "--customer", "retail-bu"], env=env, capture_output=True, text=True,
                              timeout=120)
        assert made.returncode == 0, made.stderr
        CUSTOMER_TOKEN.append(made.stdout.strip())
        yield base


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip("no chromium binary on PATH (apt-get install chromium); the browser tests need one")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()


class Page:
    """A browser tab on the live server that records every request it makes and every script error."""

    def __init__(self, browser, base: str, token: str | None = None) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        if token:  # signed in, as the sign-in box leaves it
            self.context.add_init_script(
                f"try {{ sessionStorage.setItem('graph-itsm-token', {json.dumps(token)}); }} catch (e) {{}}")
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def open(self, path: str) -> float:
        """Load `path` (the app's hash route or a server path) fresh and wait until every section has loaded;
        returns the seconds it took."""
        self.page.goto("about:blank")
        start = time.monotonic()
        self.page.goto(self.base + path)
        if "#" in path:
            self.settle()
        self.page.wait_for_load_state("networkidle")
        return time.monotonic() - start

    def settle(self, timeout: float = 60) -> None:
        self.page.wait_for_selector("main h1")
        deadline = time.monotonic() + timeout
        while self.page.locator(".loading").count():
            assert time.monotonic() < deadline, "sections still loading"
            time.sleep(0.05)

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def off_origin(self) -> list[str]:
        return [u for u in self.requests if not (u.startswith(self.base + "/") or u == self.base or u.startswith(("about:", "data:", "blob:")))]

    def axe(self) -> list[dict]:
        """axe-core's WCAG 2 A/AA violations on the page as it stands (labels, contrast, names, ...)."""
        self.page.evaluate(AXE.read_text())
        result = self.page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})")
        return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


@pytest.fixture
def tab(browser, live_server):
    t = Page(browser, live_server)
    yield t
    t.context.close()


@pytest.fixture
def viewer_tab(browser, live_server):
    t = Page(browser, live_server, token=VIEWER_TOKEN[0])
    yield t
    t.context.close()


@pytest.fixture
def finance_tab(browser, live_server):
    t = Page(browser, live_server, token=FINANCE_TOKEN[0])
    yield t
    t.context.close()


@pytest.fixture
def customer_tab(browser, live_server):
    t = Page(browser, live_server, token=CUSTOMER_TOKEN[0])
    yield t
    t.context.close()


@pytest.fixture
def architect_tab(browser, live_server):
    """A tab signed in with an architect's token (analytics and ad-hoc Cypher need one)."""
    t = Page(browser, live_server, token=ARCHITECT_TOKEN[0])
    yield t
    t.context.close()
