"""Backup and restore of the whole graph, whatever it holds (docs/backup-format.md).

A backup is every node with all its labels and properties and every relationship with its type, its ends (by
labels and ``id``) and its properties: the portfolio, issued statements, the audit trail, complaints, surveys,
managers, tokens (as hashes), the graph's Meta node with its versions... and any label added later, with no
change here. A restore goes into an empty database only (checked inside the write itself), in one atomic write of ``UNWIND``
batches, and gives
back the same graph: the same nodes, relationships and property values (ints stay ints, floats floats, lists
lists; an absent property is absent).
"""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from graph_itsm.errors import BadInput, RuleViolation
from graph_itsm.store.port import GraphStore, Step
from graph_itsm.store.queries import Query, library

__all__ = ["FORMAT", "VERSION", "BATCH_SIZE", "dump", "backup", "restore", "read_backup", "is_empty"]

FORMAT = "graph-itsm-backup"
VERSION = 1
BATCH_SIZE = 5000

# Labels and relationship types are written into the restore statements (Cypher has no parameter for them):
# only plain identifiers pass, so nothing in a file can change a statement's meaning.
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_GRAPH_META = ("Meta", "graph")


def is_empty(store: GraphStore) -> bool:
    """True when the graph holds nothing besides its Meta node (versions and settings)."""
    return not store.scalar(library()["store/find_content"])


def _key(labels: Iterable[str], node_id: Any) -> tuple[tuple[str, ...], str]:
    return tuple(sorted(labels)), json.dumps(node_id)


def dump(store: GraphStore) -> dict[str, Any]:
    """The whole graph as a backup document, in a stable order (so two dumps of one graph are equal)."""
    q = library()
    nodes = [
        {"labels": sorted(r["labels"]), "properties": dict(sorted(r["props"].items()))}
        for r in store.read(q["store/dump_nodes"])
    ]
    nodes.sort(key=lambda n: (n["labels"], json.dumps(n["properties"].get("id")), json.dumps(n["properties"], sort_keys=True)))
    relationships = [
        {
            "type": r["type"],
            "from": {"labels": sorted(r["fromLabels"]), "id": r["fromId"]},
            "to": {"labels": sorted(r["toLabels"]), "id": r["toId"]},
            "properties": dict(sorted(r["props"].items())),
        }
        for r in store.read(q["store/dump_relationships"])
    ]
    relationships.sort(key=lambda r: json.dumps([r["type"], r["from"], r["to"], r["properties"]], sort_keys=True))
    return {
        "format": FORMAT,
        "version": VERSION,
        "createdAt": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "database": store.backend,
        "nodes": nodes,
        "relationships": relationships,
    }


def backup(store: GraphStore, path: Path) -> dict[str, int]:
    """Write the whole graph to ``path`` (JSON); the counts written."""
    doc = dump(store)
    _check_keys(doc)  # a graph whose relationships could not be restored is refused now, not at restore
    tmp = path.with_name(path.name + ".partial")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    tmp.replace(path)  # a backup file is whole or absent
    return {"nodes": len(doc["nodes"]), "relationships": len(doc["relationships"])}


def read_backup(path: Path) -> dict[str, Any]:
    """Parse and check a backup file; :class:`BadInput` naming the place of every problem found."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise BadInput(f"cannot read {path}: {e.strerror or e}", field="file") from e
    except json.JSONDecodeError as e:
        raise BadInput(f"{path} is not a graph-itsm backup: not JSON ({e})", field="file") from e
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BadInput(f"{path} is not a graph-itsm backup (no \"format\": \"{FORMAT}\")", field="format")
    if doc.get("version") != VERSION:
        raise BadInput(
            f"{path}: backup format version {doc.get('version')!r} is not supported (this graph-itsm reads {VERSION})",
            field="version",
        )
    problems: list[str] = []
    for name in ("nodes", "relationships"):
        if not isinstance(doc.get(name), list):
            problems.append(f"{name}: must be a list")
    if problems:
        raise BadInput(f"{path}: backup is invalid", field="file", details=problems)
    for i, n in enumerate(doc["nodes"]):
        where = f"nodes[{i}]"
        if not isinstance(n, dict) or not isinstance(n.get("properties"), dict) or not isinstance(n.get("labels"), list):
            problems.append(f"{where}: must be {{labels: [...], properties: {{...}}}}")
            continue
        if not n["labels"]:
            problems.append(f"{where}.labels: a node needs at least one label")
        problems += [f"{where}.labels: {lb!r} is not a plain identifier" for lb in n["labels"] if not _plain_name(lb)]
    for i, r in enumerate(doc["relationships"]):
        where = f"relationships[{i}]"
        if not isinstance(r, dict) or not all(isinstance(r.get(k), dict) for k in ("from", "to", "properties")):
            problems.append(f"{where}: must be {{type, from: {{labels, id}}, to: {{labels, id}}, properties}}")
            continue
        if not _plain_name(r.get("type")):
            problems.append(f"{where}.type: {r.get('type')!r} is not a plain identifier")
        for end in ("from", "to"):
            labels = r[end].get("labels")
            if not isinstance(labels, list) or not labels or not all(_plain_name(lb) for lb in labels):
                problems.append(f"{where}.{end}.labels: must be a non-empty list of plain identifiers")
    if problems:
        raise BadInput(f"{path}: backup is invalid", field="file", details=problems[:50])
    _check_keys(doc, source=str(path))
    return doc


def _plain_name(value: Any) -> bool:
    return isinstance(value, str) and bool(_IDENTIFIER.match(value))


def _check_keys(doc: dict[str, Any], source: str = "the graph") -> None:
    """Every relationship's ends are nodes of the backup, found by labels and id, and no two nodes share both."""
    seen: set[tuple[tuple[str, ...], str]] = set()
    problems: list[str] = []
    for i, n in enumerate(doc["nodes"]):
        node_id = n["properties"].get("id")
        key = _key(n["labels"], node_id)
        if key in seen and node_id is not None:
            problems.append(f"nodes[{i}]: a second {':'.join(key[0])} node with id {node_id!r}")
        seen.add(key)
    for i, r in enumerate(doc["relationships"]):
        for end in ("from", "to"):
            if r[end].get("id") is None or _key(r[end]["labels"], r[end]["id"]) not in seen:
                problems.append(
                    f"relationships[{i}].{end}: no {':'.join(r[end]['labels'])} node with id {r[end].get('id')!r}"
                )
    if problems:
        raise BadInput(
            f"{source}: relationships whose ends cannot be named by labels and id cannot be backed up or restored",
            field="relationships", details=problems[:50],
        )


def _templated(query: Query, **names: str) -> Query:
    text = query.text
    for placeholder, value in names.items():
        text = text.replace(f"__{placeholder}__", value)
    return dataclasses.replace(query, text=text)


def _batches(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


def plan_restore(doc: dict[str, Any], guard: str) -> list[Step]:
    """The statements that write a checked backup document: the emptiness check (``store/begin_restore``, which
    makes the marker ``guard`` only in an empty graph), the Meta node, nodes by label set, then relationships by
    (from labels, type, to labels), in batches of :data:`BATCH_SIZE`, each starting from the marker, and
    ``store/finish_restore`` (the marker's id, or no row when nothing was written)."""
    q = library()
    steps: list[Step] = [(q["store/begin_restore"], {"guard": guard})]
    meta: dict[str, Any] | None = None
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for n in doc["nodes"]:
        labels = tuple(sorted(n["labels"]))
        if labels == (_GRAPH_META[0],) and n["properties"].get("id") == _GRAPH_META[1]:
            meta = n["properties"]
            continue
        by_labels[labels].append({"props": n["properties"]})
    if meta is not None:
        steps.append((q["store/restore_meta"], {"props": meta, "guard": guard}))
    for labels, rows in sorted(by_labels.items()):
        query = _templated(q["store/restore_nodes"], LABELS=":".join(labels))
        steps += [(query, {"rows": batch, "guard": guard}) for batch in _batches(rows)]
    groups: dict[tuple[tuple[str, ...], str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    for r in doc["relationships"]:
        key = (tuple(sorted(r["from"]["labels"])), r["type"], tuple(sorted(r["to"]["labels"])))
        groups[key].append({"from": r["from"]["id"], "to": r["to"]["id"], "props": r["properties"]})
    for (src, rel_type, dst), rows in sorted(groups.items()):
        query = _templated(q["store/restore_relationships"], FROM=":".join(src), TYPE=rel_type, TO=":".join(dst))
        steps += [(query, {"rows": batch, "guard": guard}) for batch in _batches(rows)]
    steps.append((q["store/finish_restore"], {"guard": guard}))
    return steps


def _not_empty() -> RuleViolation:
    return RuleViolation(
        "restore-into-empty: the database is not empty; a backup is restored only into an empty database "
        "(choose a new --data-dir, or another database), so nothing in it is overwritten",
        rule="restore-into-empty",
    )


def restore(store: GraphStore, path: Path) -> dict[str, int]:
    """Load the backup at ``path`` into ``store``, which must be empty, in one atomic write; the counts."""
    doc = read_backup(path)
    if not is_empty(store):
        raise _not_empty()
    # checked again inside the write itself: a write landing after the check above leaves no marker, so the
    # restore writes nothing rather than mixing the backup into it
    if not store.write_all(plan_restore(doc, f"restore-{uuid.uuid4().hex}")):
        raise _not_empty()
    store.compact()
    return {"nodes": len(doc["nodes"]), "relationships": len(doc["relationships"])}
