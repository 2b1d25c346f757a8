"""The web app's routes over HTTP, on every backend: / is the app, GET /graphql is GraphiQL from local files,
static files carry the same-origin Content-Security-Policy, and POST /graphql still answers queries."""

from __future__ import annotations

import re

from graph_itsm.web.routes import CSP


def test_root_serves_the_app_with_a_same_origin_policy(client) -> None:
    r = client.http.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert '<script type="module" src="/static/app/main.js">' in r.text
    assert r.headers["content-security-policy"] == CSP
    assert "default-src 'self'" in CSP and "connect-src 'self'" in CSP


def test_graphiql_loads_from_this_server_only(client) -> None:
    r = client.http.get("/graphql", headers={"accept": "text/html"})
    assert r.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    for s in sources:
        asset = client.http.get(s)
        assert asset.status_code == 200, s
        assert asset.headers["content-security-policy"] == CSP


def test_every_module_the_app_imports_is_served(client) -> None:
    seen, todo = set(), ["/static/app/main.js"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        r = client.http.get(path)
        assert r.status_code == 200, path
        assert "javascript" in r.headers["content-type"], path
        base = path.rsplit("/", 1)[0]
        for rel in re.findall(r'from "(\.[^"]+)"', r.text):
            parts = (base + "/" + rel).split("/")
            out: list[str] = []
            for p in parts:
                if p == "..":
                    out.pop()
                elif p not in (".", ""):
                    out.append(p)
            todo.append("/" + "/".join(out))
    assert "/static/vendor/cytoscape.esm.min.mjs" in seen and len(seen) >= 10


def test_unknown_static_file_is_404(client) -> None:
    assert client.http.get("/static/app/nope.js").status_code == 404
    assert client.http.get("/static/../pyproject.toml").status_code == 404


def test_graphql_post_still_answers(client) -> None:
    assert client.data("{ portfolioCounts { total } }") == {"portfolioCounts": {"total": 0}}
