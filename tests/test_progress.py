"""Progress of long imports and exports: the rows each stage reports, and the bar a terminal shows for them
(only on a terminal, only once a few thousand rows are in play)."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from graph_itsm.portfolio.exporter import export_document
from graph_itsm.portfolio.importer import document_rows, import_document
from graph_itsm.portfolio.parsing import document_from_data
from graph_itsm.progress import ROWS_FOR_A_BAR, counted, progress_bar
from graph_itsm.store import GraphStore

SERVICES = 2500


def _document(n: int = SERVICES) -> dict:
    """``n`` services in a chain (each depends on the one before), one customer subscribed to the last."""
    services = [
        {"id": f"svc-{i:05d}", "name": f"Service {i}", "kind": "SUPPORTING", "stage": "CATALOGUE",
         "owner": "platform", "criticality": 3,
         "dependsOn": [{"service": f"svc-{i - 1:05d}"}] if i else []}
        for i in range(n)
    ]
    services[-1]["kind"] = "CUSTOMER_FACING"
    customers = [{"id": "acme", "name": "Acme", "type": "INTERNAL", "subscriptions": [{"service": services[-1]["id"]}]}]
    return {"currency": "EUR", "services": services, "customers": customers}


class _Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.events.append((stage, done, total))

    def stages(self) -> list[str]:
        return list(dict.fromkeys(stage for stage, _, _ in self.events))

    def of(self, stage: str) -> list[tuple[int, int]]:
        return [(d, t) for s, d, t in self.events if s == stage]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_counted_reports_rows_as_they_pass_and_the_total_at_the_end() -> None:
    seen = _Recorder()
    assert list(counted(range(1234), "reading", seen, 1234, every=500)) == list(range(1234))
    assert seen.of("reading") == [(0, 1234), (500, 1234), (1000, 1234), (1234, 1234)]
    assert list(counted("abc", "reading", None, 3)) == ["a", "b", "c"]  # no callback: just the items


def test_the_bar_draws_rows_done_on_a_terminal_once_a_stage_is_big() -> None:
    small = _Terminal()
    with progress_bar("importing x", stream=small) as on_progress:
        assert on_progress is not None
        on_progress("checking", 0, ROWS_FOR_A_BAR - 1)
        on_progress("checking", ROWS_FOR_A_BAR - 1, ROWS_FOR_A_BAR - 1)
    assert small.getvalue() == ""  # over before a bar would help

    big = _Terminal()
    with progress_bar("importing x", stream=big) as on_progress:
        on_progress("checking", 0, 3000)
        on_progress("checking", 3000, 3000)
        on_progress("writing", 0, 0)  # one statement of unknown progress: a pulse
        on_progress("writing", 3000, 3000)
    drawn = big.getvalue()
    assert "importing x: checking" in drawn and "importing x: writing" in drawn
    assert "3000/3000" in drawn and "rows" in drawn

    with progress_bar("importing x", stream=io.StringIO()) as on_progress:
        assert on_progress is None  # not a terminal: nothing to draw, the importers skip the reports


def test_an_import_reports_checking_writing_and_compacting_by_rows(store: GraphStore) -> None:
    doc = document_from_data(_document())
    rows = document_rows(doc)
    assert rows == SERVICES + (SERVICES - 1) + 2  # services, dependencies, the customer and its subscription
    seen = _Recorder()
    import_document(store, doc, on_progress=seen)
    assert seen.stages() == ["checking", "writing", "compacting"]
    assert seen.of("checking") == [(0, rows), (rows, rows)]
    writing = seen.of("writing")
    assert writing[0] == (0, 0)  # before the database says anything
    done = [d for d, _ in writing[1:]]
    assert done == sorted(done) and done[-1] == writing[-1][1] >= rows  # rows written, up to all of them
    if store.backend == "neo4j":  # statements run one by one: the bar moves while the transaction runs
        assert len(set(done)) > 3
    assert len(export_document(store)["services"]) == SERVICES


def test_an_export_reports_every_entry(store: GraphStore) -> None:
    import_document(store, document_from_data(_document()))
    seen = _Recorder()
    exported = export_document(store, on_progress=seen)
    assert seen.stages() == ["reading", "exporting"]
    assert seen.of("exporting")[-1] == (SERVICES + 1, SERVICES + 1)  # services and the customer
    assert len(exported["services"]) == SERVICES


def _run_on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal; its exit status and what the terminal received."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("GRAPH_ITSM_DB", "GRAPH_ITSM_DATA_DIR")}
    proc = subprocess.Popen([sys.executable, "-m", "graph_itsm.cli", *args], cwd=cwd, env={**env, "COLUMNS": "200"},
                            stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    received = b""
    while True:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            received += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    return proc.wait(timeout=180), received.decode("utf-8", "replace")


def test_the_command_line_draws_a_bar_on_a_terminal_and_plain_lines_otherwise(tmp_path: Path) -> None:
    document = tmp_path / "big.json"
    document.write_text(json.dumps(_document()), encoding="utf-8")
    status, terminal = _run_on_a_terminal(["--data-dir", "d1", "import", "big.json"], tmp_path)
    assert status == 0, terminal
    assert "importing big.json: checking" in terminal and "importing big.json: writing" in terminal
    assert "\x1b[" in terminal  # drawn with terminal control codes ...
    assert "imported big.json: " in terminal  # ... and the summary line stays
    status, terminal = _run_on_a_terminal(["--data-dir", "d1", "export", "out.json"], tmp_path)
    assert status == 0, terminal
    assert "exporting" in terminal and f"{SERVICES + 1}/{SERVICES + 1}" in terminal

    env = {k: v for k, v in os.environ.items() if k not in ("GRAPH_ITSM_DB", "GRAPH_ITSM_DATA_DIR")}
    piped = subprocess.run([sys.executable, "-m", "graph_itsm.cli", "--data-dir", "d2", "import", "big.json"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, timeout=180)
    assert piped.returncode == 0, piped.stderr
    assert "\x1b[" not in piped.stderr and "checking" not in piped.stderr  # a log gets the summary, not a bar
    assert "imported big.json: " in piped.stderr


def test_spreadsheet_and_billing_imports_report_the_lines_they_read(store: GraphStore) -> None:
    from graph_itsm.formats.csv import import_csv
    from graph_itsm.formats.focus import import_focus

    lines = ["id,name,kind,stage,owner,criticality"] + [
        f"svc-{i:05d},Service {i},SUPPORTING,CATALOGUE,platform,3" for i in range(SERVICES)
    ]
    seen = _Recorder()
    report = import_csv(store, [], texts={"services.csv": "\n".join(lines) + "\n"}, on_progress=seen)
    assert len(report.created) == SERVICES
    assert seen.stages()[0] == "reading services.csv"
    assert seen.of("reading services.csv")[-1] == (SERVICES + 1, SERVICES + 1)  # the header and every row
    assert "writing" in seen.stages()

    billing = ["ChargeCategory,ChargePeriodStart,ServiceName,EffectiveCost"] + [
        f"Usage,2026-06-01T00:00:00Z,Compute,{i % 7}.25" for i in range(3000)
    ]
    seen = _Recorder()
    import_focus(store, [], texts={"bill.csv": "\n".join(billing)}, on_progress=seen)
    assert seen.of("reading bill.csv")[-1] == (3001, 3001)
