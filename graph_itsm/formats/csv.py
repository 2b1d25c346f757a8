"""Spreadsheets: services, dependencies and subscriptions as CSV files (one file each, or a folder holding
``services.csv``, ``dependencies.csv``, ``subscriptions.csv``), to and from the portfolio document.

Columns (a header row; empty cells are absent values):
``services.csv`` id, name, description, kind, stage, owner, provider, supplier, criticality, riskAssessed, capacity,
pricingModel, pricingMarkup, pricingPrice; ``dependencies.csv`` consumer, provider, share, redundancyGroup,
demandFactor; ``subscriptions.csv`` customer, service, since, share, units, specialBusinessCase.
A file is authoritative for what it lists, as the document is: ``dependencies.csv`` gives all the dependencies of
every consumer it or ``services.csv`` names; ``subscriptions.csv`` all the subscriptions of every customer it names
(customers must already be in the graph). Everything else (outcomes, pricing of unlisted services, managers) is
kept from the graph. Problems are named ``services.csv:12:criticality``; nothing is written if there is one.
"""

from __future__ import annotations

import csv as _csv
import io
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Sequence

from graph_itsm.errors import BadInput
from graph_itsm.formats.sync import SyncReport, current_services, graph_currency
from graph_itsm.portfolio.audit import ANONYMOUS
from graph_itsm.store import GraphStore

__all__ = ["COLUMNS", "read_tables", "import_csv", "export_csv"]

COLUMNS = {
    "services": ("id", "name", "description", "kind", "stage", "owner", "provider", "supplier", "criticality",
                 "riskAssessed", "capacity", "pricingModel", "pricingMarkup", "pricingPrice"),
    "dependencies": ("consumer", "provider", "share", "redundancyGroup", "demandFactor"),
    "subscriptions": ("customer", "service", "since", "share", "units", "specialBusinessCase"),
}
_REQUIRED = {"services": ("id",), "dependencies": ("consumer", "provider"), "subscriptions": ("customer", "service")}
_INTS = {"criticality"}
_FLOATS = {"capacity", "pricingMarkup", "pricingPrice", "share", "demandFactor", "units"}
_BOOLS = {"riskAssessed"}
Row = tuple[str, int, dict[str, Any]]  # (file label, line, values)


def _value(label: str, line: int, column: str, text: str, problems: list[str]) -> Any:
    t = text.strip()
    try:
        if column in _INTS:
            return int(t)
        if column in _FLOATS:
            return float(t.replace(",", ""))
    except ValueError:
        problems.append(f"{label}:{line}:{column}: must be a number; got {t!r}")
        return None
    if column in _BOOLS:
        if t.lower() in ("true", "yes", "1"):
            return True
        if t.lower() in ("false", "no", "0"):
            return False
        problems.append(f"{label}:{line}:{column}: must be true or false; got {t!r}")
        return None
    return t


def _table_of(path: Path) -> str | None:
    return next((t for t in COLUMNS if path.stem.lower().startswith(t)), None)


def read_tables(paths: Sequence[str | Path], *, texts: dict[str, str] | None = None,
                on_progress: Callable[[str, int, int], None] | None = None) -> tuple[dict[str, list[Row]], list[str]]:
    """The rows of each table (``services``, ``dependencies``, ``subscriptions``) and the problems met;
    ``on_progress`` hears "reading FILE", line by line."""
    from graph_itsm.progress import counted

    files: dict[str, tuple[str, str | None]] = {}
    problems: list[str] = []
    for p in paths:
        path = Path(p)
        for f in ([path / f"{t}.csv" for t in COLUMNS if (path / f"{t}.csv").is_file()] if path.is_dir() else [path]):
            table = _table_of(f)
            if table is None:
                problems.append(f"{f.name}: not one of services.csv, dependencies.csv, subscriptions.csv")
            else:
                files[table] = (f.name, str(f))
    for name, text in (texts or {}).items():
        table = _table_of(Path(name))
        if table:
            files[table] = (name, text)
    tables: dict[str, list[Row]] = {}
    for table, (label, source) in files.items():
        text = source if texts and label in texts else None
        if text is None:
            try:
                text = Path(source or label).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as e:
                problems.append(f"{label}: cannot be read: {e}")
                continue
        lines = list(io.StringIO(text.lstrip("\ufeff")))
        reader = _csv.reader(counted(lines, f"reading {label}", on_progress, len(lines)))
        header = [h.strip() for h in next(reader, [])]
        unknown = [h for h in header if h not in COLUMNS[table]]
        missing = [c for c in _REQUIRED[table] if c not in header]
        problems.extend(f"{label}:1:{h}: unknown column (columns: {', '.join(COLUMNS[table])})" for h in unknown)
        problems.extend(f"{label}:1: missing column {c}" for c in missing)
        if unknown or missing:
            continue
        rows = tables.setdefault(table, [])
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            line = reader.line_num
            row = {h: _value(label, line, h, v, problems) for h, v in zip(header, values) if v.strip()}
            rows.append((label, line, row))
    return tables, problems


def _service_entry(row: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    entry = {k: v for k, v in (current or {}).items()}
    for k in COLUMNS["services"][:11]:
        if k in row:
            entry[k] = row[k]
        elif current is not None and k in entry and k not in ("id",):
            entry.pop(k)  # the spreadsheet lists the service: its empty cells are absent values
    if any(k in row for k in ("pricingModel", "pricingMarkup", "pricingPrice")):
        entry["pricing"] = {k: row[c] for k, c in (("model", "pricingModel"), ("markup", "pricingMarkup"),
                                                   ("price", "pricingPrice")) if c in row}
    else:
        entry.pop("pricing", None)
    entry.setdefault("enables", [])
    entry.setdefault("dependsOn", [])
    return entry


def import_csv(store: GraphStore, paths: Sequence[str | Path], *, dry_run: bool = False,
               texts: dict[str, str] | None = None, actor: str = ANONYMOUS,
               on_progress: Callable[[str, int, int], None] | None = None) -> SyncReport:
    from graph_itsm.portfolio.exporter import export_document
    from graph_itsm.portfolio.importer import check_allocatable, existing_ids, import_document
    from graph_itsm.portfolio.canonical import normalise
    from graph_itsm.portfolio.parsing import document_from_data
    from graph_itsm.portfolio.validation import validate_document

    tables, problems = read_tables(paths, texts=texts, on_progress=on_progress)
    current = current_services(store)
    services: dict[str, dict[str, Any]] = {}
    places: dict[str, tuple[str, int]] = {}  # service id -> its row
    for label, line, row in tables.get("services", []):
        if "id" not in row:
            problems.append(f"{label}:{line}:id: required value is missing")
            continue
        if row["id"] in services:
            problems.append(f"{label}:{line}:id: duplicate service (first at line {places[row['id']][1]})")
            continue
        services[row["id"]] = _service_entry(row, current.get(row["id"]))
        places[row["id"]] = (label, line)
    dep_places: dict[str, list[tuple[str, int]]] = defaultdict(list)
    if "dependencies" in tables:
        for sid in services:
            services[sid]["dependsOn"] = []
        for label, line, row in tables["dependencies"]:
            consumer = row.get("consumer")
            if consumer not in services:
                if consumer not in current:
                    problems.append(f"{label}:{line}:consumer: unknown service {consumer!r}: neither in services.csv "
                                    "nor in the graph")
                    continue
                services[consumer] = {**current[consumer], "dependsOn": []}
                places[consumer] = (label, line)
            services[consumer]["dependsOn"].append(
                {"service": row.get("provider"), **{k: row[k] for k in ("share", "redundancyGroup", "demandFactor")
                                                    if k in row}})
            dep_places[consumer].append((label, line))
    exported = export_document(store) if "subscriptions" in tables else {"customers": []}
    graph_customers = {c["id"]: c for c in exported["customers"]}
    customers: dict[str, dict[str, Any]] = {}
    sub_places: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for label, line, row in tables.get("subscriptions", []):
        cid = row.get("customer")
        if cid not in graph_customers:
            problems.append(f"{label}:{line}:customer: unknown customer {cid!r}: not in the graph")
            continue
        customers.setdefault(cid, {**graph_customers[cid], "subscriptions": []})["subscriptions"].append(
            {k: row[k] for k in ("service", "since", "share", "units", "specialBusinessCase") if k in row})
        sub_places[cid].append((label, line))
    if problems:
        raise _refused(problems)
    report = SyncReport(dry_run=dry_run)
    entries, origins = [], []
    for sid, entry in services.items():
        was = current.get(sid)
        (report.created if was is None else report.unchanged if entry == was else report.updated).append(sid)
        entries.append(entry)
        origins.append(sid)
    changed_customers = [c for cid, c in customers.items() if c != graph_customers.get(cid)]
    report.notes.append(f"{len(customers)} customers' subscriptions, {len(changed_customers)} changed")
    doc_services = [e for e in entries if e["id"] not in report.unchanged]
    document = {"currency": graph_currency(store) or "EUR", "services": doc_services, "customers": changed_customers}
    try:
        doc = document_from_data(document)
        if doc_services or changed_customers:
            if dry_run:
                validate_document(doc, existing=existing_ids(store))
                check_allocatable(store, normalise(doc))
            else:
                import_document(store, doc, actor=actor, on_progress=on_progress)
                report.written = True
    except BadInput as e:
        raise _refused([_place(d, doc_services, changed_customers, places, dep_places, sub_places)
                        for d in e.details], e.message) from None
    return report


_SERVICE = re.compile(r"^services\[(\d+)\](?:\.dependsOn\[(\d+)\])?\.?([\w.]*)(?:\[\d+\])?:")
_CUSTOMER = re.compile(r"^customers\[(\d+)\]\.subscriptions\[(\d+)\]\.?(\w*):")
_FIELD = {"pricing.model": "pricingModel", "pricing.markup": "pricingMarkup", "pricing.price": "pricingPrice"}


def _place(detail: str, services: list[dict[str, Any]], customers: list[dict[str, Any]],
           places: dict[str, tuple[str, int]], dep_places: dict[str, list[tuple[str, int]]],
           sub_places: dict[str, list[tuple[str, int]]]) -> str:
    """``services[3].criticality: ...`` -> ``services.csv:12:criticality: ...`` (the spreadsheet's place)."""
    if m := _SERVICE.match(detail):
        sid = services[int(m.group(1))]["id"]
        field = m.group(3)
        if m.group(2) is not None and int(m.group(2)) < len(dep_places.get(sid, [])):
            label, line = dep_places[sid][int(m.group(2))]
            field = "provider" if field in ("service", "") else field
        else:
            label, line = places.get(sid, ("services.csv", 0))
        return f"{label}:{line}:{_FIELD.get(field, field)}:{detail[m.end():]}"
    if m := _CUSTOMER.match(detail):
        cid = customers[int(m.group(1))]["id"]
        label, line = sub_places[cid][int(m.group(2))]
        return f"{label}:{line}:{m.group(3)}:{detail[m.end():]}"
    return detail


def _refused(problems: list[str], reason: str = "") -> BadInput:
    n = len(problems)
    return BadInput(f"csv import refused: {n} problem{'' if n == 1 else 's'}; nothing written", details=problems)


def export_csv(store: GraphStore, folder: Path, *, on_progress: Callable[[str, int, int], None] | None = None
               ) -> dict[str, int]:
    """Write ``services.csv``, ``dependencies.csv`` and ``subscriptions.csv`` into ``folder``; rows per file.
    ``on_progress`` hears the export's stages, then "writing FILE" row by row."""
    from graph_itsm.portfolio.exporter import export_document
    from graph_itsm.progress import counted

    doc = export_document(store, on_progress=on_progress)
    rows: dict[str, list[dict[str, Any]]] = {
        "services": [{**{k: s.get(k) for k in COLUMNS["services"][:11]},
                      **{f"pricing{k.title()}": v for k, v in (s.get("pricing") or {}).items()}} for s in doc["services"]],
        "dependencies": [{"consumer": s["id"], "provider": d["service"], **{k: v for k, v in d.items() if k != "service"}}
                         for s in doc["services"] for d in s.get("dependsOn", [])],
        "subscriptions": [{"customer": c["id"], **x} for c in doc["customers"] for x in c.get("subscriptions", [])],
    }
    folder.mkdir(parents=True, exist_ok=True)
    for table, items in rows.items():
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = _csv.DictWriter(f, fieldnames=COLUMNS[table], lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v)
                              for k, v in r.items()}
                             for r in counted(items, f"writing {table}.csv", on_progress, len(items)))
    return {t: len(r) for t, r in rows.items()}
