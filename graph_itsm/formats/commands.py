"""``graph-itsm import/export --format ...`` for the outside formats: guessing the format, running the
importer with a progress bar on a terminal, and printing what was done."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Sequence

from graph_itsm.errors import BadInput
from graph_itsm.progress import progress_bar as progress

__all__ = ["guess_format", "import_formats", "export_formats"]

IMPORT_FORMATS = ("portfolio", "backstage", "focus", "csv")
_FOCUS_COLUMNS = {"billedcost", "effectivecost", "chargecategory", "billingperiodstart", "chargeperiodstart"}


def guess_format(paths: Sequence[Path]) -> str:
    """The format of ``paths`` from their content: a folder or a YAML of ``backstage.io`` entities is Backstage,
    a CSV with FOCUS columns is FOCUS, other CSV files (or a folder of them) are the spreadsheet format, the rest
    a portfolio document."""
    first = paths[0]
    if first.is_dir():
        tables = ("services.csv", "dependencies.csv", "subscriptions.csv")
        return "csv" if any((first / t).is_file() for t in tables) else "backstage"
    try:
        head = first.open(encoding="utf-8-sig").read(4096)
    except OSError as e:
        raise BadInput(f"cannot read {first}: {e}") from e
    if first.suffix.lower() == ".csv":
        columns = {c.strip().strip('"').lower() for c in head.splitlines()[0].split(",")} if head else set()
        return "focus" if len(columns & _FOCUS_COLUMNS) >= 2 else "csv"
    if "apiVersion:" in head and "backstage.io/" in head:
        return "backstage"
    return "portfolio"


def _print_report(report: Any, label: str) -> None:
    print(f"{'checked' if report.dry_run else 'imported'} {label}: {report.summary()}", file=sys.stderr)
    for note in report.notes:
        print(f"  {note}", file=sys.stderr)
    if report.gone:
        hint = "" if report.retired else " (--prune retires them)"
        print(f"  gone from the source{hint}: {', '.join(report.gone)}", file=sys.stderr)
    for p in report.problems:
        print(f"  problem: {p}", file=sys.stderr)


def import_formats(store: Any, fmt: str, paths: Sequence[Path], *, mapping: Path | None, dry_run: bool,
                   prune: bool) -> int:
    """Run the importer of ``fmt``; the exit status (1 when some problem was left, such as a refused retirement)."""
    label = ", ".join(str(p) for p in paths)
    if fmt == "backstage":
        from graph_itsm.formats.backstage import import_backstage, load_mapping, read_catalog

        m = load_mapping(mapping)
        with progress(f"importing {label}") as on_progress:
            catalog = read_catalog(paths, on_progress=on_progress)
            report = import_backstage(store, catalog, m, dry_run=dry_run, prune=prune, on_progress=on_progress)
    elif fmt == "focus":
        from graph_itsm.formats.focus import import_focus, load_focus_mapping

        if prune:
            raise BadInput("--prune: only a Backstage import retires what is gone", field="prune")
        m = load_focus_mapping(mapping)
        with progress(f"importing {label}") as on_progress:
            report = import_focus(store, paths, m, dry_run=dry_run, on_progress=on_progress)
    elif fmt == "csv":
        from graph_itsm.formats.csv import import_csv

        if prune or mapping:
            raise BadInput("--prune and --mapping do not apply to the csv format")
        with progress(f"importing {label}") as on_progress:
            report = import_csv(store, paths, dry_run=dry_run, on_progress=on_progress)
    else:
        raise BadInput(f"--format: must be one of {', '.join(IMPORT_FORMATS)}; got {fmt!r}", field="format")
    _print_report(report, label)
    return 1 if report.problems else 0


def export_formats(store: Any, fmt: str, file: Path | None, *, period: str | None) -> int:
    """``graph-itsm export --format focus --period YYYY-MM [FILE]`` (stdout without FILE)."""
    if fmt == "csv":
        from graph_itsm.formats.csv import export_csv

        if file is None or period:
            raise BadInput("export --format csv FOLDER: writes services.csv, dependencies.csv and subscriptions.csv "
                           "into FOLDER (no --period)")
        with progress(f"exporting to {file}") as on_progress:
            counts = export_csv(store, file, on_progress=on_progress)
        print(f"exported to {file}: " + ", ".join(f"{n} {t}" for t, n in counts.items()), file=sys.stderr)
        return 0
    if not period:
        raise BadInput("--period: a focus export is of one month; give --period YYYY-MM", field="period")
    from graph_itsm.finance.service import check_period
    from graph_itsm.formats.focus_export import iter_focus_rows, write_focus

    check_period(period)  # before any file is made
    rows = 0

    def counting(items: Any) -> Any:
        nonlocal rows
        for row in items:
            rows += 1
            yield row

    # Streamed: a month of a large estate has many allocated rows, never all held at once. A file is written
    # beside its place and moved there when complete, so a failed export leaves no half file.
    with progress(f"exporting {period}") as on_progress:
        if file:
            partial = file.with_name(f".{file.name}.partial")
            try:
                with partial.open("w", encoding="utf-8", newline="") as out:
                    write_focus(counting(iter_focus_rows(store, period, on_progress=on_progress)), out)
                partial.replace(file)
            finally:
                partial.unlink(missing_ok=True)
        else:
            write_focus(counting(iter_focus_rows(store, period, on_progress=on_progress)), sys.stdout)
    if file:
        print(f"exported {rows} FOCUS rows of {period} to {file}", file=sys.stderr)
    return 0
