"""Backstage catalogs into the graph: the example catalog accounted for, syncing, references, bad input."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from graph_itsm.errors import BadInput
from graph_itsm.formats.backstage import import_backstage, load_mapping, read_catalog
from graph_itsm.formats.sync import current_services
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.store import GraphStore, library

EXAMPLE = Path(__file__).parent.parent / "data" / "backstage" / "all.yaml"


def _version(store: GraphStore) -> int:
    return store.read(library()["store/get_meta"])[0]["version"]


def _edges(store: GraphStore) -> set[tuple[str, str]]:
    return {(sid, d["service"]) for sid, s in current_services(store).items() for d in s["dependsOn"]}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_example_catalog_imports_every_entity_and_relation(store: GraphStore) -> None:
    catalog = read_catalog([EXAMPLE])
    assert catalog.problems == []
    assert catalog.counts() == {"location": 6, "api": 9, "component": 13, "domain": 2, "resource": 1, "system": 3}
    report = import_backstage(store, catalog)
    assert len(report.created) == 17 and report.updated == [] and report.written
    services = current_services(store)
    assert len(services) == 17
    assert sum(1 for s in services.values() if s["kind"] == "CUSTOMER_FACING") == 5  # 3 systems, 2 websites
    edges = _edges(store)
    assert len(edges) == 13
    assert {
        ("wayback-search", "wayback-archive"),  # consumesApis wayback-archive, provided by component wayback-archive
        ("www-artist", "artist-lookup"),  # consumesApis naming the component itself
        ("artist-lookup", "artists-db"),  # dependsOn resource:artists-db
        ("wayback-archive", "wayback-archive-storage"),  # subcomponentOf
        ("artist-engagement-portal", "artists-db"),  # the system on its parts
    } <= edges
    lookup = services["artist-lookup"]
    assert (lookup["stage"], lookup["owner"], lookup["criticality"]) == ("PIPELINE", "team-a", 3)
    assert services["searcher"]["owner"] == "user:guest"
    assert services["podcast"]["stage"] == "CATALOGUE"  # a system has no lifecycle: the mapping's default stage


def test_second_run_changes_nothing(store: GraphStore) -> None:
    import_backstage(store, read_catalog([EXAMPLE]))
    before, version = export_document(store), _version(store)
    again = import_backstage(store, read_catalog([EXAMPLE]))
    assert (again.created, again.updated, len(again.unchanged), again.written) == ([], [], 17, False)
    assert export_document(store) == before and _version(store) == version


def test_folder_reads_the_same_catalog_as_its_root_location(store: GraphStore) -> None:
    folder = read_catalog([EXAMPLE.parent / "components", EXAMPLE.parent / "apis", EXAMPLE.parent / "systems",
                           EXAMPLE.parent / "resources", EXAMPLE.parent / "domains"])
    assert folder.problems == []  # the OpenAPI documents beside the APIs are not entities and are skipped
    report = import_backstage(store, folder)
    assert len(report.created) == 17 and len(_edges(store)) == 13


def test_references_resolve_case_insensitively_and_edges_are_not_duplicated(store: GraphStore, tmp_path: Path) -> None:
    path = _write(tmp_path, "catalog.yaml", """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: Shop, namespace: Retail, annotations: {graph-itsm.io/criticality: "5"}}
        spec: {type: website, lifecycle: production, owner: team-a, dependsOn: ['Resource:db']}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Resource
        metadata: {name: DB, namespace: retail}
        spec: {type: database, owner: team-a, dependencyOf: ['component:retail/shop'], tier: 2}
        """)
    import_backstage(store, read_catalog([path]))
    services = current_services(store)
    assert sorted(services) == ["retail--db", "retail--shop"]
    assert services["retail--shop"]["dependsOn"] == [{"service": "retail--db"}]
    assert (services["retail--shop"]["criticality"], services["retail--db"]["criticality"]) == (5, 4)


def test_unresolved_references_are_each_reported_with_file_and_entity_and_nothing_is_written(
    store: GraphStore, tmp_path: Path
) -> None:
    path = _write(tmp_path, "catalog.yaml", """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: shop}
        spec: {type: service, lifecycle: production, owner: team-a, dependsOn: ['resource:nowhere'], system: ghost}
        """)
    version = _version(store)
    with pytest.raises(BadInput) as e:
        import_backstage(store, read_catalog([path]))
    place = f"{path} (component:default/shop)"
    assert e.value.details == [
        f"{place} spec.dependsOn[0]: unresolved reference resource:default/nowhere",
        f"{place} spec.system: unresolved reference system:default/ghost",
    ]
    assert current_services(store) == {} and _version(store) == version


def test_invalid_mapping_is_refused_naming_its_places(store: GraphStore, tmp_path: Path) -> None:
    mapping = _write(tmp_path, "mapping.yaml", """
        stages: {production: LIVE}
        criticality: {default: 9}
        kinds: {API: {kind: SUPPORTING}}
        """)
    with pytest.raises(BadInput) as e:
        load_mapping(mapping)
    text = "\n".join(e.value.details)
    assert "stages.production: must be one of PIPELINE, CATALOGUE, RETIRED" in text
    assert "criticality.default" in text
    with pytest.raises(BadInput) as e:
        load_mapping(text="kinds: {API: {kind: SUPPORTING}}")
    assert e.value.details == ["kinds.API: only System, Component and Resource entities become services"]


def test_mapping_changes_kinds_and_stages(store: GraphStore) -> None:
    mapping = load_mapping(text="""
        kinds: {Component: {kind: CUSTOMER_FACING, types: {library: SUPPORTING}}, System: {kind: SUPPORTING}}
        stages: {experimental: CATALOGUE, production: CATALOGUE, deprecated: RETIRED}
        systemsDependOnParts: false
        """)
    report = import_backstage(store, read_catalog([EXAMPLE]), mapping)
    assert any("resource:default/artists-db is not mapped to a service" in n for n in report.notes)
    services = current_services(store)
    assert "resource" not in {s["id"] for s in services.values()} and "artists-db" not in services  # not mapped
    assert services["playback-sdk"]["kind"] == "SUPPORTING" and services["searcher"]["kind"] == "CUSTOMER_FACING"
    assert services["artist-lookup"]["stage"] == "CATALOGUE"
    assert len(services) == 16 and not any(c == "podcast" for c, _ in _edges(store))


def test_resync_updates_changed_reports_gone_and_prune_retires_them(store: GraphStore, tmp_path: Path) -> None:
    entity = """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {{name: {name}}}
        spec: {{type: service, lifecycle: {lifecycle}, owner: team-a{extra}}}
        """
    first = _write(tmp_path, "v1.yaml", "---".join([
        entity.format(name="api", lifecycle="production", extra=", dependsOn: ['component:db']"),
        entity.format(name="db", lifecycle="production", extra=""),
        entity.format(name="old", lifecycle="experimental", extra=""),
    ]))
    import_backstage(store, read_catalog([first]))
    second = _write(tmp_path, "v2.yaml", "---".join([
        entity.format(name="api", lifecycle="production", extra=", dependsOn: ['component:db', 'component:cache']"),
        entity.format(name="db", lifecycle="production", extra=""),
        entity.format(name="cache", lifecycle="production", extra=""),
    ]))
    dry = import_backstage(store, read_catalog([second]), prune=True, dry_run=True)
    assert (dry.created, dry.updated, dry.gone, dry.retired, dry.written) == (["cache"], ["api"], ["old"], [], False)
    assert sorted(current_services(store)) == ["api", "db", "old"]
    report = import_backstage(store, read_catalog([second]))
    assert (report.created, report.updated, report.unchanged, report.gone) == (["cache"], ["api"], ["db"], ["old"])
    assert current_services(store)["old"]["stage"] == "PIPELINE"  # reported, not touched without --prune
    pruned = import_backstage(store, read_catalog([second]), prune=True)
    assert pruned.retired == ["old"] and pruned.problems == []
    services = current_services(store)
    assert services["old"]["stage"] == "RETIRED" and ("api", "cache") in _edges(store)
    assert import_backstage(store, read_catalog([second])).gone == []  # retired: no longer reported


def test_a_lifecycle_without_a_stage_is_refused_and_nothing_written(store: GraphStore, tmp_path: Path) -> None:
    path = _write(tmp_path, "c.yaml", """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: shop}
        spec: {type: service, lifecycle: beta, owner: team-a}
        """)
    with pytest.raises(BadInput) as e:
        import_backstage(store, read_catalog([path]))
    assert e.value.details == [f"{path} (component:default/shop) spec.lifecycle: 'beta' has no stage in the mapping "
                               "(stages: experimental, production, deprecated)"]
    assert current_services(store) == {}
