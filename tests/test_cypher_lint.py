"""Every query file in cypher/ passes Neo4j's own Cypher front-end (tools/cypher-lint)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT_DIR = REPO / "tools" / "cypher-lint"
BAD_FIXTURE = LINT_DIR / "fixtures" / "bad" / "syntax_error.cypher"


def _lint(*targets: str | Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH; install Node 20+, then run `npm ci --prefix tools/cypher-lint`")
    if not (LINT_DIR / "node_modules").is_dir():
        pytest.skip("the Cypher linter is not installed: run `npm ci --prefix tools/cypher-lint`")
    return subprocess.run(
        [node, str(LINT_DIR / "lint.mjs"), *map(str, targets)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_every_query_file_passes_the_neo4j_front_end() -> None:
    result = _lint("cypher")
    assert result.returncode == 0, f"cypher-lint failed (exit {result.returncode}):\n{result.stdout}{result.stderr}"


def test_a_neo4j_syntax_error_fails_the_lint() -> None:
    result = _lint(BAD_FIXTURE)
    assert result.returncode == 1, f"expected exit 1, got {result.returncode}:\n{result.stdout}{result.stderr}"
    assert "syntax_error.cypher:4:10: error: Invalid input 'RETURN'" in result.stdout
