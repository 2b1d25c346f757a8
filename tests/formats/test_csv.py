"""Spreadsheets: services, dependencies and subscriptions as CSV, round trip, places of errors, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_itsm.errors import BadInput
from graph_itsm.formats.csv import export_csv, import_csv
from graph_itsm.portfolio import equivalent
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.store import GraphStore, library
from tests.conftest import northwind_data


def _version(store: GraphStore) -> int:
    return store.read(library()["store/get_meta"])[0]["version"]


def test_export_then_import_of_the_folder_changes_nothing(northwind_store: GraphStore, tmp_path: Path) -> None:
    counts = export_csv(northwind_store, tmp_path / "sheets")
    data = northwind_data()
    assert counts == {"services": len(data["services"]),
                      "dependencies": sum(len(s.get("dependsOn", [])) for s in data["services"]),
                      "subscriptions": sum(len(c.get("subscriptions", [])) for c in data["customers"])}
    before, version = export_document(northwind_store), _version(northwind_store)
    report = import_csv(northwind_store, [tmp_path / "sheets"])
    assert (report.created, report.updated, report.written) == ([], [], False)
    assert export_document(northwind_store) == before and _version(northwind_store) == version


def test_a_spreadsheet_adds_services_and_replaces_dependencies(northwind_store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "services.csv").write_text(
        "id,name,kind,stage,owner,criticality\nreporting,Reporting,SUPPORTING,PIPELINE,data,2\n", encoding="utf-8")
    (tmp_path / "dependencies.csv").write_text("consumer,provider,share\nreporting,identity,\n", encoding="utf-8")
    report = import_csv(northwind_store, [tmp_path / "services.csv", tmp_path / "dependencies.csv"])
    assert report.created == ["reporting"] and report.written
    doc = export_document(northwind_store)
    reporting = next(s for s in doc["services"] if s["id"] == "reporting")
    assert reporting["dependsOn"] == [{"service": "identity"}] and reporting["criticality"] == 2
    expected = northwind_data()
    expected["services"].append({**{k: reporting[k] for k in ("id", "name", "kind", "stage", "owner", "criticality")},
                                 "dependsOn": [{"service": "identity"}]})
    assert equivalent(doc, expected)


@pytest.mark.parametrize("files, place", [
    ({"services.csv": "id,name,kind,stage,owner,criticality\nok,Ok,SUPPORTING,PIPELINE,a,3\nx,X,SUPPORTING,PIPELINE,a,9\n"},
     "services.csv:3:criticality: Input should be less than or equal to 5"),
    ({"services.csv": "id,name,kind,stage,owner,criticality\nx,X,SUPPORTING,PIPELINE,a,high\n"},
     "services.csv:2:criticality: must be a number; got 'high'"),
    ({"dependencies.csv": "consumer,provider\nweb-shop,nowhere\n"},
     "dependencies.csv:2:provider: unknown service 'nowhere': neither in the document nor in the graph"),
    ({"subscriptions.csv": "customer,service\nretail-bu,identity\n"},
     "subscriptions.csv:2:service: 'identity' is a SUPPORTING service; customers subscribe only to CUSTOMER_FACING services"),
    ({"services.csv": "id,name,colour\nx,X,red\n"}, "services.csv:1:colour: unknown column"),
])
def test_bad_rows_are_refused_at_their_place_and_nothing_written(northwind_store: GraphStore, tmp_path: Path,
                                                                  files: dict[str, str], place: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    before, version = export_document(northwind_store), _version(northwind_store)
    with pytest.raises(BadInput) as e:
        import_csv(northwind_store, [tmp_path / name for name in files])
    assert e.value.details[0].startswith(place)
    assert export_document(northwind_store) == before and _version(northwind_store) == version
