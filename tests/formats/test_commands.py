"""``graph-itsm import/export --format ...`` as a user runs them: format guessed, reports printed, exit codes."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from tests.conftest import NORTHWIND
from tests.test_cli import _run

DATA = Path(__file__).parent.parent / "data"


def test_backstage_catalog_is_guessed_synced_and_checked_by_a_dry_run(tmp_path: Path) -> None:
    root = DATA / "backstage" / "all.yaml"
    dry = _run(tmp_path, "import", str(root), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "17 created, 0 updated, 0 unchanged (dry run: nothing written)" in dry.stderr
    first = _run(tmp_path, "import", str(root))
    assert first.returncode == 0 and "17 created" in first.stderr
    assert "34 entities (9 api, 13 component, 2 domain, 6 location, 1 resource, 3 system): 17 services, 13 dependencies" in first.stderr
    second = _run(tmp_path, "import", "--format", "backstage", str(root))
    assert "0 created, 0 updated, 17 unchanged" in second.stderr


def test_a_broken_catalog_exits_non_zero_naming_file_and_entity(tmp_path: Path) -> None:
    bad = tmp_path / "catalog-info.yaml"
    bad.write_text("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: shop}\n"
                   "spec: {type: service, lifecycle: production, owner: a, dependsOn: ['component:gone']}\n")
    result = _run(tmp_path, "import", str(bad))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-2] == "graph-itsm import: backstage catalog has 1 problem; nothing written"
    assert lines[-1] == f"  {bad} (component:default/shop) spec.dependsOn[0]: unresolved reference component:default/gone"


def test_focus_import_prints_its_reconciliation_and_the_export_sums_to_the_month(tmp_path: Path) -> None:
    assert _run(tmp_path, "import", str(NORTHWIND)).returncode == 0
    exported = _run(tmp_path, "export", "--format", "focus", "--period", "2026-01")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert {"AllocatedMethodId", "AllocatedMethodDetails", "AllocatedResourceId", "AllocatedResourceName"} <= set(rows[0])
    bill = tmp_path / "bill.csv"
    bill.write_text(exported.stdout.replace("2026-01-01", "2026-02-01"), encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("rules: [{service: web-shop, resourceId: '*'}]\n", encoding="utf-8")
    imported = _run(tmp_path, "import", str(bill), "--mapping", str(mapping))
    assert imported.returncode == 0, imported.stderr
    total = sum(Decimal(r["EffectiveCost"]) for r in rows)
    assert f"2026-02 focus: file {total} EUR, imported {total} in 1 cost items (0.00 unmapped): reconciled to the cent" \
        in imported.stderr
    missing = _run(tmp_path, "export", "--format", "focus")
    assert missing.returncode == 1 and "--period" in missing.stderr


def test_csv_folder_is_guessed_and_round_trips(tmp_path: Path) -> None:
    assert _run(tmp_path, "import", str(NORTHWIND)).returncode == 0
    exported = _run(tmp_path, "export", "--format", "csv", str(tmp_path / "sheets"))
    assert exported.returncode == 0, exported.stderr
    again = _run(tmp_path, "import", str(tmp_path / "sheets"))
    assert again.returncode == 0, again.stderr
    assert "0 created, 0 updated, 17 unchanged" in again.stderr
