"""The browser libraries shipped in graph_itsm/web/static/vendor/ are exactly the pinned npm packages' files.

webapp/vendor.mjs copies them from webapp/node_modules (installed by `npm ci` from package-lock.json) and records
each copy in webapp/vendor-manifest.json. These tests prove the shipped files match the manifest, the manifest
matches the lockfile's versions, and, where `npm ci --prefix webapp` has run (CI does), that every copy is
byte-for-byte its node_modules source."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WEBAPP = REPO / "webapp"
STATIC = REPO / "graph_itsm" / "web" / "static"
MANIFEST = json.loads((WEBAPP / "vendor-manifest.json").read_text())
LOCK = json.loads((WEBAPP / "package-lock.json").read_text())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_manifest_lists_every_file_vendor_json_asks_for() -> None:
    wanted = json.loads((WEBAPP / "vendor.json").read_text())
    assert set(MANIFEST) == set(wanted)


@pytest.mark.parametrize("target", sorted(MANIFEST))
def test_shipped_copy_matches_manifest_and_lockfile(target: str) -> None:
    entry = MANIFEST[target]
    assert sha256(REPO / target) == entry["sha256"], f"{target} was edited by hand; run `npm run vendor` in webapp/"
    locked = LOCK["packages"][f"node_modules/{entry['package']}"]["version"]
    assert entry["version"] == locked, f"{target}: vendored {entry['version']}, package-lock.json pins {locked}"


def test_direct_dependencies_are_pinned_exactly() -> None:
    deps = json.loads((WEBAPP / "package.json").read_text())["dependencies"]
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in deps.values()), deps


@pytest.mark.parametrize("target", sorted(MANIFEST))
def test_shipped_copy_is_its_node_modules_source(target: str) -> None:
    entry = MANIFEST[target]
    source = WEBAPP / "node_modules" / entry["package"] / entry["file"]
    if not (WEBAPP / "node_modules").is_dir():
        pytest.skip("webapp/node_modules is missing: run `npm ci --prefix webapp` to compare the copies with it")
    assert sha256(source) == sha256(REPO / target), f"{target} differs from {source}; run `npm run vendor` in webapp/"


def test_the_app_references_only_its_own_origin() -> None:
    """The app's own files name no other host: every script, style and fetch is a path on this server."""
    offenders = []
    for path in [*STATIC.glob("*.html"), *STATIC.glob("*.js"), *(STATIC / "app").rglob("*")]:
        if path.is_file() and path.suffix in {".html", ".js", ".css"}:
            for url in re.findall(r"""(?:src|href|url)\s*[=(]\s*["']?(https?:)?//[^"')\s]+""", path.read_text()):
                offenders.append((path.name, url))
            if re.search(r"https?://(?!www\.w3\.org/2000/svg)", path.read_text()):
                offenders.append((path.name, "absolute URL"))
    assert offenders == []
