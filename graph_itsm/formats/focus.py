"""FinOps FOCUS billing files (CSV, FOCUS 1.0 to 1.2 column names) as cost items of their month.

Each row is mapped to a service by the mapping's rules (``tags``, ``serviceName``, ``resourceId``,
``subAccountName``; first match wins) and summed (``decimal.Decimal``) into one cost item per source, month,
service, category and nature: ``focus-<source>-<YYYY-MM>-<service>-<category>-<nature>``, fully allocated to the
service. Rows no rule matches go to the month's ``unmapped`` item, which has no allocation, so the cost report
shows it as unallocated. The month is that of ``ChargePeriodStart`` (else ``BillingPeriodStart``), ISO or US dates
(``5/1/25``); literal ``NULL`` and empty cells are absent values; amounts may carry a currency sign and thousands
separators. An item a previous import of the same source and month made that this one does not is set to 0
(superseded), so a month always reconciles with the last file imported for it.
"""

from __future__ import annotations

import csv
import fnmatch
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Callable, Literal, Sequence

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from graph_itsm.errors import BadInput
from graph_itsm.formats.sync import SyncReport, graph_currency, relabel
from graph_itsm.portfolio.audit import ANONYMOUS
from graph_itsm.portfolio.document import CostCategory, CostNature
from graph_itsm.portfolio.parsing import error_message
from graph_itsm.portfolio.problems import problem
from graph_itsm.progress import OnProgress, counted
from graph_itsm.store import GraphStore, library

__all__ = ["FocusMapping", "FocusRule", "load_focus_mapping", "read_focus", "import_focus", "COST_COLUMNS"]

COST_COLUMNS = ("EffectiveCost", "BilledCost", "ListCost", "ContractedCost")
_CENT = Decimal("0.01")
_SLUG = r"^[a-z0-9][a-z0-9_-]{0,60}$"
# Default categories: FOCUS 1.2 ServiceCategory values, then ChargeCategory values.
SERVICE_CATEGORIES = {
    "compute": CostCategory.HARDWARE, "storage": CostCategory.HARDWARE, "networking": CostCategory.HARDWARE,
    "databases": CostCategory.SOFTWARE, "database": CostCategory.SOFTWARE,
    "business applications": CostCategory.SOFTWARE, "developer tools": CostCategory.SOFTWARE,
    "security": CostCategory.SOFTWARE, "identity": CostCategory.SOFTWARE, "analytics": CostCategory.SOFTWARE,
    "ai and machine learning": CostCategory.SOFTWARE, "management and governance": CostCategory.SOFTWARE,
}
CHARGE_CATEGORIES = {"tax": CostCategory.OTHER, "credit": CostCategory.OTHER, "adjustment": CostCategory.OTHER}
# Older names of the columns read here (FOCUS 1.0 previews and 1.3), by their 1.2 name.
_ALIASES = {"ProviderName": ("ServiceProviderName", "Provider"), "ChargeCategory": ("ChargeType",),
            "SubAccountName": ("SubaccountName",)}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, frozen=True)


class FocusRule(_Model):
    """Rows matching every given matcher go to ``service``. Matchers are case-insensitive globs (``host-*``);
    ``tags`` must all be present with matching values (``*`` for any value)."""

    service: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,199}$")]
    tags: dict[str, str] = {}
    service_name: str | None = None
    resource_id: str | None = None
    sub_account_name: str | None = None
    category: CostCategory | None = None
    nature: CostNature | None = None


class FocusMapping(_Model):
    cost_column: Literal["EffectiveCost", "BilledCost", "ListCost", "ContractedCost"] = "EffectiveCost"
    nature: CostNature = CostNature.OPEX
    source: Annotated[str, Field(pattern=_SLUG)] | None = None  # default: the file's provider, else "focus"
    categories: dict[str, CostCategory] = {}  # ServiceCategory or ChargeCategory value -> category
    rules: list[FocusRule] = []


def load_focus_mapping(path: str | Path | None = None, *, text: str | None = None) -> FocusMapping:
    if path is None and text is None:
        return FocusMapping()
    label = str(path) if path is not None else "mapping"
    try:
        data = yaml.safe_load(text if text is not None else Path(path).read_text(encoding="utf-8"))  # type: ignore[arg-type]
        return FocusMapping.model_validate(data or {})
    except (OSError, yaml.YAMLError) as e:
        raise BadInput(f"mapping {label} cannot be read: {e}") from e
    except ValidationError as e:
        raise BadInput(f"mapping {label} is invalid; nothing written",
                       details=[problem(err["loc"], error_message(err)) for err in e.errors()]) from None


@dataclass
class Group:
    id: str
    period: str
    service: str | None
    category: str
    nature: str
    amount: Decimal = Decimal(0)
    rows: int = 0
    names: set[str] = field(default_factory=set)
    rule: int | None = None


@dataclass
class FocusFile:
    groups: dict[str, Group] = field(default_factory=dict)
    totals: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # (source, period)
    rows: int = 0
    currency: str | None = None
    problems: list[str] = field(default_factory=list)


def _absent(value: str | None) -> bool:
    return value is None or value.strip() == "" or value.strip().upper() == "NULL"


def parse_amount(text: str) -> Decimal:
    """``"$10,000.00 "`` -> ``Decimal("10000.00")``; ``(5.00)`` is negative; ``ValueError`` if not a number."""
    t = text.strip().replace(",", "").replace(" ", "")
    negative = t.startswith("(") and t.endswith(")")
    t = t.strip("()").lstrip("$€£¥")
    if t.startswith("-") and t[1:2] in "$€£¥" and len(t) > 1:
        t = "-" + t[2:]
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return -value if negative else value


def parse_month(text: str) -> str:
    t = text.strip()
    if m := re.match(r"^(\d{4})-(\d{2})", t):
        year, month = int(m.group(1)), int(m.group(2))
    elif m := re.match(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b", t):
        month, year = int(m.group(1)), int(m.group(3))
        year += 2000 if year < 100 else 0
    else:
        raise ValueError(f"not a date (ISO 8601 or M/D/YY): {text!r}")
    if not 1 <= month <= 12:
        raise ValueError(f"not a date: month {month} in {text!r}")
    return f"{year:04d}-{month:02d}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "focus"


def _matches(pattern: str | None, value: str | None) -> bool:
    return pattern is None or (value is not None and fnmatch.fnmatchcase(value.lower(), pattern.lower()))


def _rule_for(rules: Sequence[FocusRule], row: dict[str, str | None], tags: dict[str, Any]) -> int | None:
    for i, r in enumerate(rules):
        if (_matches(r.service_name, row.get("ServiceName")) and _matches(r.resource_id, row.get("ResourceId"))
                and _matches(r.sub_account_name, row.get("SubAccountName"))
                and all(k in tags and (v == "*" or _matches(v, str(tags[k]))) for k, v in r.tags.items())):
            return i
    return None


def read_focus(paths: Sequence[str | Path], mapping: FocusMapping, *, texts: dict[str, str] | None = None,
               on_progress: OnProgress | None = None) -> FocusFile:
    """Every row of ``paths`` (or of ``texts``: name -> CSV text) grouped into cost items; problems collected
    with their place (``file.csv:12:EffectiveCost``). ``on_progress`` hears "reading FILE", line by line."""
    out = FocusFile()
    sources = texts or {str(p): None for p in paths}
    for label, text in sources.items():
        try:
            if text is None:
                text = Path(label).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            out.problems.append(f"{label}: cannot be read: {e}")
            continue
        _read_one(label, text.lstrip("\ufeff"), mapping, out, on_progress)
    return out


def _read_one(label: str, text: str, mapping: FocusMapping, out: FocusFile, on_progress: OnProgress | None) -> None:
    lines = text.splitlines()
    reader = csv.reader(counted(lines, f"reading {Path(label).name}", on_progress, len(lines)))
    header = next(reader, None)
    if not header:
        out.problems.append(f"{label}: empty file, no header")
        return
    names = {h.strip().lower(): i for i, h in enumerate(header)}
    columns: dict[str, int] = {}
    for want in ("ChargePeriodStart", "BillingPeriodStart", "ChargeCategory", "ServiceCategory", "ServiceName",
                 "ResourceId", "SubAccountName", "Tags", "BillingCurrency", "ProviderName", "InvoiceIssuerName",
                 mapping.cost_column):
        for name in (want, *_ALIASES.get(want, ())):
            if name.lower() in names:
                columns[want] = names[name.lower()]
                break
    missing = [c for c in (mapping.cost_column,) if c not in columns]
    if "ChargePeriodStart" not in columns and "BillingPeriodStart" not in columns:
        missing.append("ChargePeriodStart")
    if "ChargeCategory" not in columns and "ServiceCategory" not in columns:
        missing.append("ChargeCategory")
    if missing:
        out.problems.extend(f"{label}:1: missing column {c}" for c in missing)
        return
    for row_values in reader:
        line = reader.line_num
        if not any(v.strip() for v in row_values):
            continue
        row = {k: (row_values[i] if i < len(row_values) and not _absent(row_values[i]) else None)
               for k, i in columns.items()}
        _add_row(label, line, row, mapping, out)


def _add_row(label: str, line: int, row: dict[str, str | None], mapping: FocusMapping, out: FocusFile) -> None:
    def bad(column: str, message: str) -> None:
        out.problems.append(f"{label}:{line}:{column}: {message}")

    cost = row.get(mapping.cost_column)
    if cost is None:
        return bad(mapping.cost_column, "required value is missing (NULL)")
    try:
        amount = parse_amount(cost)
    except ValueError as e:
        return bad(mapping.cost_column, str(e))
    date_col = "ChargePeriodStart" if row.get("ChargePeriodStart") else "BillingPeriodStart"
    if not row.get(date_col):
        return bad("ChargePeriodStart", "required value is missing (NULL)")
    try:
        period = parse_month(row[date_col] or "")
    except ValueError as e:
        return bad(date_col, str(e))
    tags: dict[str, Any] = {}
    if row.get("Tags"):
        try:
            tags = json.loads(row["Tags"] or "{}")
        except json.JSONDecodeError as e:
            return bad("Tags", f"not a JSON object: {e.msg}")
        if not isinstance(tags, dict):
            return bad("Tags", "not a JSON object")
    currency = row.get("BillingCurrency")
    if currency:
        if out.currency and currency.strip() != out.currency:
            return bad("BillingCurrency", f"{currency!r}: one currency per import (the file started in {out.currency})")
        out.currency = currency.strip()
    rule_index = _rule_for(mapping.rules, row, tags)
    rule = mapping.rules[rule_index] if rule_index is not None else None
    category = (rule.category if rule and rule.category else None) or _category(row, mapping)
    nature = (rule.nature if rule and rule.nature else None) or mapping.nature
    source = mapping.source or _slug(row.get("ProviderName") or row.get("InvoiceIssuerName") or "focus")
    service = rule.service if rule else None
    gid = f"focus-{source}-{period}-{service or 'unmapped'}-{category.value.lower()}-{nature.value.lower()}"
    group = out.groups.setdefault(gid, Group(gid, period, service, category.value, nature.value, rule=rule_index))
    group.amount += amount
    group.rows += 1
    if row.get("ServiceName"):
        group.names.add(row["ServiceName"] or "")
    out.totals[(source, period)] += amount
    out.rows += 1


def _category(row: dict[str, str | None], mapping: FocusMapping) -> CostCategory:
    custom = {k.lower(): v for k, v in mapping.categories.items()}
    for column, defaults in (("ServiceCategory", SERVICE_CATEGORIES), ("ChargeCategory", CHARGE_CATEGORIES)):
        value = (row.get(column) or "").strip().lower()
        if value and value in custom:
            return custom[value]
        if value and value in defaults:
            return defaults[value]
    return CostCategory.EXTERNAL_SERVICE


def _entry(g: Group) -> dict[str, Any]:
    what = ", ".join(sorted(g.names)) or "FOCUS charges"
    name = f"{what} ({g.category.lower()})" if g.service else f"unmapped: {what}"
    return {"id": g.id, "name": name[:200], "description": f"{g.rows} FOCUS row{'' if g.rows == 1 else 's'}",
            "category": g.category, "nature": g.nature, "period": g.period, "amount": float(g.amount),
            "allocations": [{"service": g.service, "share": 1.0}] if g.service else []}


def _existing_items(store: GraphStore) -> dict[str, dict[str, Any]]:
    q = library()
    allocations: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in store.read(q["portfolio/export/allocations"]):
        allocations[r["item"]].append({"service": r["service"], "share": r["share"]})
    out = {}
    for r in store.read(q["portfolio/export/cost_items"]):
        p = r["props"]
        entry = {k: p.get(k) for k in ("id", "name", "description", "category", "nature", "period", "amount")}
        entry["allocations"] = allocations.get(p["id"], [])
        out[p["id"]] = entry
    return out


def import_focus(
    store: GraphStore, paths: Sequence[str | Path], mapping: FocusMapping | None = None, *, dry_run: bool = False,
    texts: dict[str, str] | None = None, actor: str = ANONYMOUS,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> SyncReport:
    """Import the billing rows (see the module docstring); the report's notes hold the reconciliation of each
    month. ``BadInput`` names every bad place (file, line, column; mapping rule) and nothing is written."""
    from graph_itsm.portfolio.importer import import_document
    from graph_itsm.portfolio.parsing import document_from_data

    mapping = mapping or FocusMapping()
    focus = read_focus(paths, mapping, texts=texts, on_progress=on_progress)
    for g in focus.groups.values():
        if g.amount < 0:
            focus.problems.append(f"{g.id}: its {g.rows} rows sum to {g.amount}: credits above charges cannot be a "
                                  "cost item (amounts are not negative)")
    if focus.problems:
        n = len(focus.problems)
        raise BadInput(f"FOCUS import refused: {n} problem{'' if n == 1 else 's'}; nothing written",
                       details=focus.problems)
    report = SyncReport(dry_run=dry_run)
    existing = _existing_items(store)
    entries, origins = [], []
    for g in sorted(focus.groups.values(), key=lambda g: g.id):
        entry = _entry(g)
        origins.append(f"mapping rules[{g.rule}]" if g.rule is not None else g.id)
        (report.created if g.id not in existing else report.unchanged if existing[g.id] == entry
         else report.updated).append(g.id)
        if existing.get(g.id) != entry:
            entries.append(entry)
    produced = set(focus.groups)
    for (source, period) in focus.totals:
        prefix = f"focus-{source}-{period}-"
        for iid, item in existing.items():
            if iid.startswith(prefix) and iid not in produced and (item["amount"] or item["allocations"]):
                entries.append({**item, "amount": 0.0, "allocations": [], "description": "superseded by a later import"})
                origins.append(iid)
                report.updated.append(iid)
    currency = focus.currency or graph_currency(store) or "EUR"
    document = {"currency": currency, "costs": entries}
    try:
        doc = document_from_data(document)
        if entries and not dry_run:
            import_document(store, doc, actor=actor, on_progress=on_progress)
            report.written = True
        elif entries:
            from graph_itsm.portfolio.importer import existing_ids
            from graph_itsm.portfolio.validation import validate_document

            validate_document(doc, existing=existing_ids(store))
            if graph_currency(store) not in (None, currency):
                raise BadInput(f"currency: the portfolio is kept in {graph_currency(store)}; the file is in {currency}")
    except BadInput as e:
        raise relabel(e, origins, key="costs") from None
    after = existing if dry_run else _existing_items(store)
    if dry_run:
        after = {**after, **{e["id"]: e for e in entries}}
    lines = reconcile(focus, after, currency)
    report.notes.extend(lines)
    report.problems.extend(line for line in lines if line.endswith("DIFFERENCE"))
    return report


def reconcile(focus: FocusFile, items: dict[str, dict[str, Any]], currency: str) -> list[str]:
    """One line per source and month: the file's total, the imported cost items' total, the unmapped part."""
    lines = []
    for (source, period), total in sorted(focus.totals.items()):
        prefix = f"focus-{source}-{period}-"
        mine = [i for iid, i in items.items() if iid.startswith(prefix)]
        imported = sum((Decimal(repr(i["amount"] or 0.0)) for i in mine), Decimal(0))
        unmapped = sum((Decimal(repr(i["amount"] or 0.0)) for i in mine if not i["allocations"]), Decimal(0))
        ok = imported.quantize(_CENT, ROUND_HALF_UP) == total.quantize(_CENT, ROUND_HALF_UP)
        lines.append(f"{period} {source}: file {total.quantize(_CENT, ROUND_HALF_UP)} {currency}, imported "
                     f"{imported.quantize(_CENT, ROUND_HALF_UP)} in {sum(1 for i in mine if i['amount'])} cost items "
                     f"({unmapped.quantize(_CENT, ROUND_HALF_UP)} unmapped): {'reconciled to the cent' if ok else 'DIFFERENCE'}")
    return lines
