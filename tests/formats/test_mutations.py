"""``importBackstage`` and ``importFocus``: the document text in, a summary out, a dry run, errors with places."""

from __future__ import annotations

from pathlib import Path

from graph_itsm.store import GraphStore, library

DATA = Path(__file__).parent.parent / "data"
CATALOG = "---\n".join(
    (DATA / "backstage" / name).read_text(encoding="utf-8")
    for name in ("components/wayback-archive-component.yaml", "components/wayback-search-component.yaml",
                 "apis/wayback-archive-api.yaml", "apis/wayback-search-api.yaml")
)
BACKSTAGE = """
mutation($catalog: String!, $mapping: String, $dryRun: Boolean!) {
  importBackstage(catalog: $catalog, mapping: $mapping, dryRun: $dryRun) {
    created updated unchanged gone problems notes written dryRun
  }
}"""
FOCUS = """
mutation($csv: String!, $mapping: String, $dryRun: Boolean!) {
  importFocus(csv: $csv, mapping: $mapping, dryRun: $dryRun) { created updated unchanged notes written }
}"""
DEPS = "query { service(id: \"wayback-search\") { dependencies { service { id } } } }"


def _version(store: GraphStore) -> int:
    return store.read(library()["store/get_meta"])[0]["version"]


def test_import_backstage_dry_run_then_write_then_nothing_to_do(client, store: GraphStore) -> None:
    dry = client.data(BACKSTAGE, catalog=CATALOG, dryRun=True)["importBackstage"]
    assert dry["created"] == ["wayback-archive", "wayback-search"] and dry["written"] is False and dry["dryRun"]
    assert client.data("query { service(id: \"wayback-search\") { id } }")["service"] is None
    done = client.data(BACKSTAGE, catalog=CATALOG, dryRun=False)["importBackstage"]
    assert done["written"] and done["notes"][0].startswith("4 entities (2 api, 2 component): 2 services, 1 dependencies")
    assert client.data(DEPS)["service"]["dependencies"] == [{"service": {"id": "wayback-archive"}}]
    again = client.data(BACKSTAGE, catalog=CATALOG, dryRun=False)["importBackstage"]
    assert (again["created"], again["updated"], again["written"]) == ([], [], False)
    assert again["unchanged"] == ["wayback-archive", "wayback-search"]


def test_import_backstage_with_an_invalid_mapping_is_bad_input_and_writes_nothing(client, store: GraphStore) -> None:
    version = _version(store)
    result = client.execute(BACKSTAGE, catalog=CATALOG, mapping="stages: {production: LIVE}", dryRun=False)
    error = result["errors"][0]
    assert error["extensions"]["code"] == "BAD_INPUT" and "mapping" in error["message"]
    assert _version(store) == version


def test_import_focus_reconciles_and_names_bad_places(client, store: GraphStore) -> None:
    csv = (DATA / "focus" / "spec_v1.2_examples" / "simple_saas_agreements_c.csv").read_text(encoding="utf-8-sig")
    done = client.data(FOCUS, csv=csv, dryRun=False)["importFocus"]
    assert done["written"] and len(done["created"]) == 3
    assert done["notes"][0] == ("2025-04 acmecorp: file 10100.00 USD, imported 10100.00 in 1 cost items "
                                "(10100.00 unmapped): reconciled to the cent")
    bad = client.execute(FOCUS, csv="ChargePeriodStart,ChargeCategory,EffectiveCost\n2025-04-01,Usage,x\n",
                         dryRun=False)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_INPUT"
