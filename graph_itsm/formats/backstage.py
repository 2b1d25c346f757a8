"""Backstage software catalogs (``catalog-info.yaml``) as services: entities, references and the mapping file.

Systems, Components and Resources become services; APIs link the components that consume them to the ones
that provide them; Domains, Locations, Groups and Users are read (Locations followed) but become nothing.
Dependencies (consumer -> provider), one edge per pair whatever the reasons:
``dependsOn`` (the entity on its target), ``dependencyOf`` (the target on the entity), ``consumesApis`` (the entity
on every component that ``providesApis`` the API; a reference to a component itself is taken as that component),
``subcomponentOf`` (the parent on the part) and, unless the mapping says ``systemsDependOnParts: false``,
``system`` (the System on its parts). References are resolved as Backstage does: ``[kind:][namespace/]name``, the
field's default kind, the entity's namespace, case-insensitive. ``owner`` is kept as written, not resolved.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, Sequence

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from graph_itsm.errors import BadInput
from graph_itsm.formats.sync import SourceService
from graph_itsm.portfolio.document import ServiceKind, ServiceStage
from graph_itsm.portfolio.parsing import error_message
from graph_itsm.portfolio.problems import problem

__all__ = ["BackstageMapping", "Catalog", "Entity", "load_mapping", "read_catalog", "catalog_services", "parse_ref"]

SERVICE_KINDS = ("system", "component", "resource")
_SLUG_BAD = re.compile(r"[^a-z0-9_-]+")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, populate_by_name=False, frozen=True)


class KindRule(_Model):
    """The service kind of an entity kind, and overrides by ``spec.type``."""

    kind: ServiceKind
    types: dict[str, ServiceKind] = {}


class CriticalityRule(_Model):
    """Criticality from an annotation (a number 1-5) or from ``spec.tier`` through ``tiers``."""

    annotation: str = "graph-itsm.io/criticality"
    tiers: dict[str, Annotated[int, Field(ge=1, le=5)]] = {"1": 5, "2": 4, "3": 3, "4": 2, "5": 1}
    default: Annotated[int, Field(ge=1, le=5)] = 3


def _default_kinds() -> dict[str, KindRule]:
    return {
        "System": KindRule(kind=ServiceKind.CUSTOMER_FACING),
        "Component": KindRule(kind=ServiceKind.SUPPORTING, types={"website": ServiceKind.CUSTOMER_FACING}),
        "Resource": KindRule(kind=ServiceKind.SUPPORTING),
    }


class BackstageMapping(_Model):
    """The user-changeable mapping (a small YAML file with these camelCase keys; every key optional)."""

    kinds: dict[str, KindRule] = Field(default_factory=_default_kinds)
    stages: dict[str, ServiceStage] = {"experimental": ServiceStage.PIPELINE, "production": ServiceStage.CATALOGUE,
                                       "deprecated": ServiceStage.RETIRED}
    default_stage: ServiceStage = ServiceStage.CATALOGUE
    criticality: CriticalityRule = CriticalityRule()
    systems_depend_on_parts: bool = True
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"

    def kind_rule(self, kind: str) -> KindRule | None:
        return {k.lower(): v for k, v in self.kinds.items()}.get(kind)


def load_mapping(path: str | Path | None = None, *, text: str | None = None) -> BackstageMapping:
    """The mapping from ``path`` (or ``text``); the defaults without either. ``BadInput`` names each bad place."""
    if path is None and text is None:
        return BackstageMapping()
    label = str(path) if path is not None else "mapping"
    try:
        data = yaml.safe_load(text if text is not None else Path(path).read_text(encoding="utf-8"))  # type: ignore[arg-type]
    except (OSError, yaml.YAMLError) as e:
        raise BadInput(f"mapping {label} cannot be read: {e}") from e
    try:
        mapping = BackstageMapping.model_validate(data or {})
    except ValidationError as e:
        raise BadInput(f"mapping {label} is invalid; nothing written",
                       details=[problem(err["loc"], error_message(err)) for err in e.errors()]) from None
    bad = [k for k in mapping.kinds if k.lower() not in SERVICE_KINDS]
    if bad:
        raise BadInput(f"mapping {label} is invalid; nothing written",
                       details=[f"kinds.{k}: only System, Component and Resource entities become services" for k in bad])
    return mapping


@dataclass(frozen=True)
class Entity:
    kind: str  # lower-case
    namespace: str  # lower-case
    name: str
    metadata: dict[str, Any]
    spec: dict[str, Any]
    file: str

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.namespace}/{self.name.lower()}"

    @property
    def place(self) -> str:
        return f"{self.file} ({self.ref})"


@dataclass
class Catalog:
    entities: list[Entity] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(Counter(e.kind for e in self.entities))


def parse_ref(ref: Any, *, default_kind: str | None, default_namespace: str) -> tuple[str, str, str]:
    """``[kind:][namespace/]name`` to lower-case (kind, namespace, name); ``ValueError`` when it cannot be."""
    if not isinstance(ref, str) or not ref.strip():
        raise ValueError(f"must be an entity reference; got {ref!r}")
    kind, sep, rest = ref.strip().partition(":")
    if not sep:
        kind, rest = "", kind
    namespace, sep, name = rest.partition("/")
    if not sep:
        namespace, name = "", namespace
    kind = kind or default_kind or ""
    if not kind:
        raise ValueError(f"reference {ref!r} needs a kind (such as component:{name})")
    if not name:
        raise ValueError(f"reference {ref!r} has no name")
    return kind.lower(), (namespace or default_namespace).lower(), name.lower()


def read_catalog(paths: Sequence[str | Path], *, on_progress: Callable[[str, int, int], None] | None = None) -> Catalog:
    """Every entity of ``paths`` (files, folders, Locations followed by relative path), with the problems met;
    ``on_progress`` hears "reading catalog files" (files read of those found so far)."""
    catalog = Catalog()
    seen: set[str] = set()
    refs: dict[str, str] = {}
    queue: list[tuple[Path, bool]] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            queue.extend((f, False) for f in sorted(path.rglob("*")) if f.suffix.lower() in (".yaml", ".yml"))
        else:
            queue.append((path, True))
    read = 0
    while queue:
        if on_progress and read % 50 == 0:
            on_progress("reading catalog files", read, read + len(queue))
        read += 1
        path, explicit = queue.pop(0)
        key = os.path.realpath(path)
        if key in seen:
            continue
        seen.add(key)
        label = os.path.normpath(str(path))
        if not path.is_file():
            catalog.problems.append(f"{label}: no such file")
            continue
        catalog.files.append(label)
        for entity, followed in _entities_of(path, label, explicit, catalog.problems):
            if entity.ref in refs:
                catalog.problems.append(f"{entity.place}: duplicate entity (first in {refs[entity.ref]})")
                continue
            refs[entity.ref] = entity.file
            catalog.entities.append(entity)
            queue.extend((t, True) for t in followed)
    if on_progress:
        on_progress("reading catalog files", read, read)
    return catalog


def _entities_of(path: Path, label: str, explicit: bool, problems: list[str]) -> Iterator[tuple[Entity, list[Path]]]:
    try:
        docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
    except (OSError, UnicodeDecodeError) as e:
        problems.append(f"{label}: cannot be read: {e}")
        return
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problems.append(f"{label}{where}: not valid YAML: {getattr(e, 'problem', None) or e}")
        return
    for i, doc in enumerate(docs):
        if not (isinstance(doc, dict) and "apiVersion" in doc and "kind" in doc):
            if explicit:  # a folder may hold other YAML (OpenAPI documents, say); a named file must be a catalog
                problems.append(f"{label}: document {i + 1} is not a Backstage entity (no apiVersion and kind)")
            continue
        meta, spec = doc.get("metadata") or {}, doc.get("spec") or {}
        if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not isinstance(spec, dict):
            problems.append(f"{label}: document {i + 1} ({doc.get('kind')}) has no metadata.name")
            continue
        entity = Entity(str(doc["kind"]).lower(), str(meta.get("namespace") or "default").lower(), meta["name"],
                        meta, spec, label)
        followed: list[Path] = []
        if entity.kind == "location":
            targets = ([spec["target"]] if spec.get("target") else []) + list(spec.get("targets") or [])
            for t in targets:
                if str(spec.get("type") or "file") != "file" or re.match(r"^[a-z]+://", str(t)):
                    problems.append(f"{entity.place}: target {t!r}: only file locations (relative paths) are followed")
                else:
                    followed.append(path.parent / str(t))
        yield entity, followed


def _service_id(e: Entity) -> str:
    base = _SLUG_BAD.sub("-", e.name.lower()).strip("-_") or "entity"
    return base if e.namespace == "default" else f"{_SLUG_BAD.sub('-', e.namespace)}--{base}"


@dataclass
class CatalogServices:
    services: list[SourceService]
    edges: dict[tuple[str, str], list[str]]  # (consumer, provider) -> the relations behind it
    notes: list[str]


def catalog_services(catalog: Catalog, mapping: BackstageMapping) -> CatalogServices:
    """The services and dependencies of ``catalog``; ``BadInput`` with every problem (file, entity, field)."""
    problems = list(catalog.problems)
    notes: list[str] = []
    by_ref = {e.ref: e for e in catalog.entities}
    services = {e.ref: e for e in catalog.entities if e.kind in SERVICE_KINDS and mapping.kind_rule(e.kind)}
    ids: dict[str, Entity] = {}
    for e in services.values():
        sid = _service_id(e)
        if sid in ids:
            problems.append(f"{e.place}: becomes service id {sid!r}, as {ids[sid].ref} does")
        ids.setdefault(sid, e)
    providers: dict[str, list[str]] = {}
    for e in services.values():
        for j, ref in enumerate(_as_list(e.spec.get("providesApis"))):
            target = _resolve(e, ref, "api", f"spec.providesApis[{j}]", by_ref, problems)
            if target is not None:
                providers.setdefault(target.ref, []).append(_service_id(e))

    edges: dict[tuple[str, str], list[str]] = {}

    def link(consumer: Entity, provider: Entity, why: str, place: str) -> None:
        if provider.kind == "api":
            found = providers.get(provider.ref, [])
            if not found:
                notes.append(f"{consumer.place} {place}: no component provides {provider.ref}; no dependency")
            for pid in found:
                if pid != _service_id(consumer):
                    edges.setdefault((_service_id(consumer), pid), []).append(f"{why} {provider.ref}")
        elif provider.ref in services and consumer.ref in services:
            if provider.ref != consumer.ref:
                edges.setdefault((_service_id(consumer), _service_id(provider)), []).append(why)
        else:
            other = provider if provider.ref not in services else consumer
            notes.append(f"{consumer.place} {place}: {other.ref} is not mapped to a service; no dependency")

    for e in services.values():
        for fld, default, reverse in (("dependsOn", None, False), ("dependencyOf", None, True),
                                      ("consumesApis", "api", False)):
            for j, ref in enumerate(_as_list(e.spec.get(fld))):
                target = _resolve(e, ref, default, f"spec.{fld}[{j}]", by_ref, problems)
                if target is not None:
                    consumer, provider = (target, e) if reverse else (e, target)
                    link(consumer, provider, fld, f"spec.{fld}[{j}]")
        if e.spec.get("subcomponentOf"):
            parent = _resolve(e, e.spec["subcomponentOf"], "component", "spec.subcomponentOf", by_ref, problems)
            if parent is not None:
                link(parent, e, "subcomponentOf", "spec.subcomponentOf")
        if e.spec.get("system"):
            system = _resolve(e, e.spec["system"], "system", "spec.system", by_ref, problems)
            if system is not None and mapping.systems_depend_on_parts:
                link(system, e, "system", "spec.system")
        if e.kind == "system" and e.spec.get("domain"):
            _resolve(e, e.spec["domain"], "domain", "spec.domain", by_ref, problems)

    out = [_service(e, mapping, sorted(p for (c, p) in edges if c == _service_id(e)), problems)
           for e in services.values()]
    if problems:
        n = len(problems)
        raise BadInput(f"backstage catalog has {n} problem{'' if n == 1 else 's'}; nothing written", details=problems)
    return CatalogServices(out, edges, notes)


def _as_list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _resolve(e: Entity, ref: Any, default_kind: str | None, place: str, by_ref: dict[str, Entity],
             problems: list[str]) -> Entity | None:
    try:
        kind, namespace, name = parse_ref(ref, default_kind=default_kind, default_namespace=e.namespace)
    except ValueError as err:
        problems.append(f"{e.place} {place}: {err}")
        return None
    target = by_ref.get(f"{kind}:{namespace}/{name}")
    if target is None:
        problems.append(f"{e.place} {place}: unresolved reference {kind}:{namespace}/{name}")
    return target


def _service(e: Entity, mapping: BackstageMapping, depends_on: list[str], problems: list[str]) -> SourceService:
    rule = mapping.kind_rule(e.kind)
    assert rule is not None
    kind = rule.types.get(str(e.spec.get("type") or ""), rule.kind)
    lifecycle = e.spec.get("lifecycle")
    stage = None
    if lifecycle is not None:
        stage = {k.lower(): v for k, v in mapping.stages.items()}.get(str(lifecycle).lower())
        if stage is None:
            problems.append(f"{e.place} spec.lifecycle: {lifecycle!r} has no stage in the mapping "
                            f"(stages: {', '.join(mapping.stages)})")
    owner = e.spec.get("owner")
    if not isinstance(owner, str) or not owner.strip():
        problems.append(f"{e.place} spec.owner: required field is missing")
    criticality = _criticality(e, mapping.criticality, problems)
    title = e.metadata.get("title") or e.name
    fields = {"name": str(title), "description": e.metadata.get("description"), "kind": kind.value,
              "stage": stage.value if stage else None, "owner": owner, "criticality": criticality}
    defaults = {"stage": mapping.default_stage.value, "criticality": mapping.criticality.default}
    return SourceService(_service_id(e), fields, depends_on, e.place, defaults)


def _criticality(e: Entity, rule: CriticalityRule, problems: list[str]) -> int | None:
    annotations = e.metadata.get("annotations") or {}
    if rule.annotation in annotations:
        value = str(annotations[rule.annotation]).strip()
        if value.isdigit() and 1 <= int(value) <= 5:
            return int(value)
        problems.append(f"{e.place} metadata.annotations.{rule.annotation}: must be a whole number 1 to 5; got {value!r}")
        return None
    if e.spec.get("tier") is not None:
        tier = str(e.spec["tier"]).strip()
        if tier in rule.tiers:
            return rule.tiers[tier]
        problems.append(f"{e.place} spec.tier: {tier!r} has no criticality in the mapping "
                        f"(tiers: {', '.join(rule.tiers)})")
    return None


def catalog_from_text(text: str, *, label: str = "catalog") -> Catalog:
    """The entities of one YAML text (for the API, where there are no files to follow)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalog.yaml"
        path.write_text(text, encoding="utf-8")
        catalog = read_catalog([path])
    swap = str(path)
    catalog.problems = [p.replace(swap, label) for p in catalog.problems]
    catalog.problems = [p for p in catalog.problems if "only file locations" not in p and "no such file" not in p]
    catalog.entities = [Entity(e.kind, e.namespace, e.name, e.metadata, e.spec, label) for e in catalog.entities]
    return catalog


def import_backstage(store: Any, catalog: Catalog, mapping: BackstageMapping | None = None, *, dry_run: bool = False,
                     prune: bool = False, actor: str | None = None, on_progress: Any = None) -> Any:
    """Sync ``catalog`` into the graph (``formats.sync``): returns the ``SyncReport`` (with a note of what each
    entity kind became)."""
    from graph_itsm.formats.sync import sync_services
    from graph_itsm.portfolio.audit import ANONYMOUS

    mapping = mapping or BackstageMapping()
    found = catalog_services(catalog, mapping)
    report = sync_services(store, "backstage", found.services, currency=mapping.currency, dry_run=dry_run,
                           prune=prune, actor=actor or ANONYMOUS, on_progress=on_progress)
    counts = catalog.counts()
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    report.notes.insert(0, f"{len(catalog.entities)} entities ({kinds}): {len(found.services)} services, "
                           f"{len(found.edges)} dependencies")
    report.notes.extend(found.notes)
    return report
