"""The production-like stack says what CI runs: docker-compose.yml's Neo4j has the version and the settings of
deploy/neo4j.conf, which .ci/run gives the server the suite runs on."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _conf() -> dict[str, str]:
    settings = {}
    for line in (REPO / "deploy" / "neo4j.conf").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings[key.strip()] = value.strip()
    return settings


def test_compose_neo4j_has_the_settings_ci_uses() -> None:
    neo4j = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]["neo4j"]
    env = {k: str(v) for k, v in neo4j["environment"].items() if k != "NEO4J_AUTH"}
    # the image's naming: NEO4J_ + the setting with "_" doubled and "." turned into "_"
    assert env == {"NEO4J_" + k.replace("_", "__").replace(".", "_"): v for k, v in _conf().items()}


def test_compose_neo4j_is_the_version_ci_runs() -> None:
    image = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]["neo4j"]["image"]
    assert image == "neo4j:5.26.30-community"
    assert "deploy/neo4j.conf" in (REPO / ".ci" / "run").read_text()
