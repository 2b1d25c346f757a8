"""Progress of long commands (imports, exports) as rows done: the callback the importers and exporters call, and
the rich progress bar the command line shows for it on a terminal.

The callback is ``on_progress(stage, done, total)``: ``stage`` names what is going on ("reading", "checking",
"writing", ...), ``done`` and ``total`` count rows (services, dependencies, billing rows, ...). ``total`` 0 means
"one step whose size in rows is not known while it runs" (the one atomic write of an import on FalkorDB: the
database applies it as a single statement), shown as a pulsing bar with the time it has taken.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, TextIO, TypeVar

__all__ = ["OnProgress", "ROWS_FOR_A_BAR", "counted", "progress_bar"]

OnProgress = Callable[[str, int, int], None]
T = TypeVar("T")

# Below this many rows a command is over before a bar would help: nothing is drawn.
ROWS_FOR_A_BAR = 2000


def counted(items: Iterable[T], stage: str, on_progress: OnProgress | None, total: int, *,
            every: int = 500) -> Iterator[T]:
    """``items`` unchanged, reporting ``(stage, done, total)`` every ``every`` rows and once at the end."""
    if on_progress is None:
        yield from items
        return
    done = 0
    on_progress(stage, 0, total)
    for item in items:
        yield item
        done += 1
        if done % every == 0:
            on_progress(stage, done, total)
    on_progress(stage, done, max(total, done))


@contextmanager
def progress_bar(label: str, *, stream: TextIO | None = None, force: bool = False,
                 threshold: int = ROWS_FOR_A_BAR) -> Iterator[OnProgress | None]:
    """Yield the ``on_progress`` callback of a rich progress bar on ``stream`` (stderr) when it is a terminal
    (or ``force``), else ``None``. The bar appears only once a stage counts at least ``threshold`` rows; each
    stage shows its rows done of its total, its rate and the time taken, and the bar is cleared at the end."""
    stream = stream or sys.stderr
    if not (force or stream.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn,
                               TimeElapsedColumn)

    bar = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("rows"), TimeElapsedColumn(),
        console=Console(file=stream, force_terminal=force or None), transient=True,
    )
    tasks: dict[str, TaskID] = {}
    big = False

    def on_progress(stage: str, done: int, total: int) -> None:
        nonlocal big
        if not big and max(done, total) < threshold:
            return
        if not big:
            big = True
            bar.start()
        if stage not in tasks:
            for earlier in tasks.values():  # a new stage means the earlier ones are over
                t = bar.tasks[earlier]
                bar.update(earlier, completed=t.total if t.total else t.completed, total=t.total or t.completed or 1)
            tasks[stage] = bar.add_task(f"{label}: {stage}", total=total or None)
        bar.update(tasks[stage], completed=done, total=total or None)

    try:
        yield on_progress
    finally:
        if big:
            bar.stop()
