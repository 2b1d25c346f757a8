"""The ``graph-itsm`` command line. Every failing command exits non-zero with a one-line reason on stderr,
then the details (such as every invalid place of a document) below it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from graph_itsm.errors import BadInput, GraphItsmError

__all__ = ["main"]

_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def _command(name: str) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    def register(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        _COMMANDS[name] = fn
        return fn

    return register


# Commands that put data into the database: a new, empty one is what they expect.
_WRITERS = {"import", "demo", "restore"}


def _open_store() -> Any:
    from graph_itsm.store import open_store

    return open_store()


def _announce(args: argparse.Namespace) -> Callable[[Any], None]:
    """What each command says on stderr when it opens a database: which one, and a note when it would read an
    embedded database created just now (an empty one, most likely not the one meant)."""
    said: set[str] = set()

    def observe(store: Any) -> None:
        if store.description in said:
            return
        said.add(store.description)
        print(f"database: {store.description}", file=sys.stderr)
        if args.data_dir is not None and not store.description.startswith("embedded"):
            print("note: --data-dir is ignored: GRAPH_ITSM_DB names the database", file=sys.stderr)
        writes = args.command in _WRITERS or (args.command == "serve" and getattr(args, "demo", False))
        if store.just_created and not writes:
            from graph_itsm.store.backup import is_empty

            if is_empty(store):
                where = store.description.removeprefix("embedded FalkorDB at ")
                print(f"note: {where} was just created and is empty; did you mean --data-dir "
                      "(or GRAPH_ITSM_DATA_DIR)?", file=sys.stderr)

    return observe


def _actor() -> str:
    """Who the audit trail names for a command-line write: the user running it."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _with_progress(label: str, write: Callable[..., Any]) -> Any:
    """``write(on_progress=...)`` with a progress bar on a terminal (once it counts a few thousand rows)."""
    from graph_itsm.progress import progress_bar

    with progress_bar(f"importing {label}") as on_progress:
        return write(on_progress=on_progress) if on_progress else write()


def _report(summary: Any, label: str, replace: bool) -> None:
    parts = ", ".join(f"{n} {k}" for k, n in summary.counts.items() if n)
    print(f"{'replaced the graph with' if replace else 'imported'} {label}: {parts}", file=sys.stderr)


def _import(store: Any, document: Any, *, label: str, replace: bool = False) -> None:
    from graph_itsm.portfolio.importer import import_document

    summary = _with_progress(label, lambda **kw: import_document(
        store, document, actor=_actor(), replace=replace, source=label, **kw))
    _report(summary, label, replace)


def _load_demo(store: Any, *, replace: bool) -> bool:
    """The demo into an empty database (or, with ``replace``, in place of everything); on a non-empty one
    say so and leave it alone. True when it was loaded."""
    from graph_itsm.portfolio.demo import load_demo

    label = "the demo portfolio"
    summary = _with_progress(label, lambda **kw: load_demo(store, replace=replace, actor=_actor(), **kw))
    if summary is None:
        print(
            "the database is not empty: the demo portfolio was not loaded, so nothing in it was overwritten "
            "(graph-itsm demo --replace empties it and loads the demo, audited)",
            file=sys.stderr,
        )
        return False
    _report(summary, label, replace)
    return True


@_command("serve")
def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from graph_itsm.api.app import create_app

    store = _open_store()
    try:
        if args.demo:
            _load_demo(store, replace=False)
        from graph_itsm.access.settings import AccessSettings

        access = AccessSettings.from_env(bind_host=args.host)
        app = create_app(store, close_store_on_shutdown=True, access=access)
    except BaseException:
        store.close()
        raise
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        store.close()
        raise BadInput("--workers: at least 1", field="workers")
    print(f"graph-itsm on {store.backend}: GraphiQL at http://{args.host}:{args.port}/graphql"
          f" ({workers} worker{'s' if workers > 1 else ''})", file=sys.stderr)
    if access.anonymous_reads:
        print("anonymous requests may read; writes need a token", file=sys.stderr)
    else:
        print("every request needs a token (Authorization: Bearer <token>)", file=sys.stderr)
    if args.demo or not access.anonymous_reads:
        print("make a token: graph-itsm token create --name me --role admin", file=sys.stderr)
    if workers == 1:
        from graph_itsm.heap import freeze_startup

        freeze_startup()  # modules, schema, connections live as long as the server: full collections skip them
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
        return 0
    # Worker processes open the same database from the environment (graph_itsm/api/workers.py); this process
    # keeps its store open meanwhile, so an embedded server outlives any one worker's restart.
    from graph_itsm.api.workers import BIND_HOST_ENV

    if args.data_dir is not None:
        os.environ["GRAPH_ITSM_DATA_DIR"] = str(args.data_dir.resolve())
    os.environ[BIND_HOST_ENV] = args.host
    from graph_itsm.api.workers import run_workers

    try:
        run_workers(workers, host=args.host, port=args.port, log_level=args.log_level)
    finally:
        store.close()
    return 0


@_command("import")
def _import_cmd(args: argparse.Namespace) -> int:
    from graph_itsm.formats.commands import guess_format, import_formats
    from graph_itsm.portfolio.parsing import load_document

    fmt = args.format or guess_format(args.file)
    if fmt != "portfolio":
        if args.replace:
            raise BadInput("--replace: only a portfolio document replaces the graph", field="replace")
        store = _open_store()
        try:
            return import_formats(store, fmt, args.file, mapping=args.mapping, dry_run=args.dry_run, prune=args.prune)
        finally:
            store.close()
    if len(args.file) != 1 or args.mapping or args.prune:
        raise BadInput("a portfolio document is imported one FILE at a time, without --mapping or --prune")
    document = load_document(args.file[0])
    store = _open_store()
    try:
        if args.dry_run:
            from graph_itsm.portfolio.importer import existing_ids
            from graph_itsm.portfolio.validation import validate_document

            validate_document(document, existing=existing_ids(store))
            print(f"checked {args.file[0]}: valid (dry run: nothing written)", file=sys.stderr)
            return 0
        _import(store, document, label=str(args.file[0]), replace=args.replace)
    finally:
        store.close()
    return 0


@_command("export")
def _export_cmd(args: argparse.Namespace) -> int:
    from graph_itsm.portfolio.exporter import export_document

    if args.format in ("focus", "csv"):
        from graph_itsm.formats.commands import export_formats

        store = _open_store()
        try:
            return export_formats(store, args.format, args.file, period=args.period)
        finally:
            store.close()
    if args.period:
        raise BadInput("--period: only the focus export is of one month", field="period")
    from graph_itsm.progress import progress_bar

    store = _open_store()
    try:
        with progress_bar(f"exporting {args.file or 'to stdout'}") as on_progress:
            doc = export_document(store, on_progress=on_progress)
    finally:
        store.close()
    fmt = args.format if args.format in ("json", "yaml") else ("yaml" if args.file and str(args.file).endswith((".yaml", ".yml")) else "json")
    if fmt == "yaml":
        import yaml

        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    else:
        text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    if args.file:
        Path(args.file).write_text(text, encoding="utf-8")
        print(f"exported to {args.file}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


@_command("demo")
def _demo(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        _load_demo(store, replace=args.replace)
    finally:
        store.close()
    return 0


@_command("backup")
def _backup(args: argparse.Namespace) -> int:
    from graph_itsm.store.backup import backup

    store = _open_store()
    try:
        counts = backup(store, args.file)
    finally:
        store.close()
    print(f"backed up {counts['nodes']} nodes and {counts['relationships']} relationships to {args.file}",
          file=sys.stderr)
    return 0


@_command("restore")
def _restore(args: argparse.Namespace) -> int:
    from graph_itsm.store.backup import read_backup, restore

    read_backup(args.file)  # a bad file is refused before any database is opened
    store = _open_store()
    try:
        counts = restore(store, args.file)
    finally:
        store.close()
    print(f"restored {counts['nodes']} nodes and {counts['relationships']} relationships from {args.file}",
          file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graph-itsm",
        description="An IT service provider's portfolio as a graph. The database comes from GRAPH_ITSM_DB "
        "(unset: the embedded FalkorDB under --data-dir; bolt:// or neo4j://: Neo4j; redis://: FalkorDB). "
        "Every command says on stderr which database it uses.",
    )
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR",
        help="where the embedded database lives (default: GRAPH_ITSM_DATA_DIR, else ./.graph-itsm/)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="start the GraphQL API (GraphiQL at /graphql, health at /healthz)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--demo", action="store_true",
                   help="load the built-in demo portfolio first, if the database is empty (never over your data)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.add_argument("--workers", type=int, metavar="N",
                   help="server processes sharing the database (default: the machine's cores)")

    p = sub.add_parser("import", help="import a portfolio document (JSON or YAML), a Backstage catalog, FOCUS "
                       "billing or CSV spreadsheets; nothing is written if invalid")
    p.add_argument("file", type=Path, nargs="+", metavar="FILE")
    p.add_argument("--format", choices=["portfolio", "backstage", "focus", "csv"],
                   help="the input's format (guessed from the content when not given)")
    p.add_argument("--mapping", type=Path, help="a YAML mapping (Backstage: kinds, stages, criticality; FOCUS: rules)")
    p.add_argument("--dry-run", action="store_true", help="check everything and report, write nothing")
    p.add_argument("--prune", action="store_true", help="Backstage: retire services gone from the catalog")
    p.add_argument("--replace", action="store_true",
                   help="empty the graph first, audit trail included (in the same atomic write, audited)")

    p = sub.add_parser("export", help="export the portfolio as a document (stdout when FILE is not given)")
    p.add_argument("file", nargs="?", type=Path)
    p.add_argument("--format", choices=["portfolio", "json", "yaml", "focus", "csv"],
                   help="portfolio (json or yaml by FILE's suffix), focus (one month's allocation) or csv (a folder)")
    p.add_argument("--period", help="the month (YYYY-MM) of a focus export")

    p = sub.add_parser("demo", help="load the built-in demo portfolio into an empty database")
    p.add_argument("--replace", action="store_true",
                   help="empty a non-empty database and load the demo instead (audited)")

    p = sub.add_parser("backup", help="write everything in the graph to FILE (docs/backup-format.md)")
    p.add_argument("file", type=Path)

    p = sub.add_parser("restore", help="load a backup FILE into an empty database, all or nothing")
    p.add_argument("file", type=Path)
    for register in _extensions():
        _COMMANDS.update(register(sub))
    return parser


def _extensions() -> list[Callable[[Any], dict[str, Callable[[argparse.Namespace], int]]]]:
    """Other domains' subcommands: each ``register(subparsers)`` adds its parsers and returns
    ``{command: handler}``. Imported when the parser is built, so those modules may import this one."""
    from graph_itsm.analytics.cli import register as analytics  # analytics, cypher
    from graph_itsm.access.cli import register as access  # token
    from graph_itsm.finance.cli import register as costs  # costs
    from graph_itsm.impact.cli import register as impact  # impact
    from graph_itsm.strategy.cli import register as strategy  # strategy

    return [analytics, costs, impact, access, strategy]


def main(argv: Sequence[str] | None = None) -> int:
    from graph_itsm.store import opening

    args = _parser().parse_args(argv)
    try:
        with opening(data_dir=args.data_dir, observer=_announce(args)):
            return _COMMANDS[args.command](args)
    except GraphItsmError as e:
        print(f"graph-itsm {args.command}: {e.message}", file=sys.stderr)
        for detail in e.details:
            print(f"  {detail}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
