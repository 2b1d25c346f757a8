"""The ``graph-itsm`` command line. Every failing command exits non-zero with a one-line reason on stderr,
then the details (such as every invalid place of a document) below it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from graph_itsm.errors import GraphItsmError

__all__ = ["main"]

_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def _command(name: str) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    def register(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        _COMMANDS[name] = fn
        return fn

    return register


def _open_store() -> Any:
    from graph_itsm.store import open_store

    return open_store()


def _import(store: Any, document: Any, *, label: str) -> None:
    from graph_itsm.portfolio.importer import import_document

    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task(f"importing {label}", total=None)

            def on_progress(stage: str, done: int, total: int) -> None:
                progress.update(task, total=total, completed=done, description=f"importing {label}: {stage}")

            summary = import_document(store, document, on_progress=on_progress)
    else:
        summary = import_document(store, document)
    parts = ", ".join(f"{n} {k}" for k, n in summary.counts.items() if n)
    print(f"imported {label}: {parts}", file=sys.stderr)


@_command("serve")
def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from graph_itsm.api.app import create_app

    store = _open_store()
    try:
        if args.demo:
            from graph_itsm.portfolio.parsing import demo_document

            _import(store, demo_document(), label="the demo portfolio")
        from graph_itsm.access.settings import AccessSettings

        access = AccessSettings.from_env(bind_host=args.host)
        app = create_app(store, close_store_on_shutdown=True, access=access)
    except BaseException:
        store.close()
        raise
    print(f"graph-itsm on {store.backend}: GraphiQL at http://{args.host}:{args.port}/graphql", file=sys.stderr)
    if access.anonymous_reads:
        print("anonymous requests may read; writes need a token", file=sys.stderr)
    else:
        print("every request needs a token (Authorization: Bearer <token>)", file=sys.stderr)
    if args.demo or not access.anonymous_reads:
        print("make a token: graph-itsm token create --name me --role admin", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


@_command("import")
def _import_cmd(args: argparse.Namespace) -> int:
    from graph_itsm.portfolio.parsing import load_document

    document = load_document(args.file)
    store = _open_store()
    try:
        if args.replace:
            store.clear()
        _import(store, document, label=str(args.file))
    finally:
        store.close()
    return 0


@_command("export")
def _export_cmd(args: argparse.Namespace) -> int:
    from graph_itsm.portfolio.exporter import export_document

    store = _open_store()
    try:
        doc = export_document(store)
    finally:
        store.close()
    fmt = args.format or ("yaml" if args.file and str(args.file).endswith((".yaml", ".yml")) else "json")
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
    from graph_itsm.portfolio.parsing import demo_document

    store = _open_store()
    try:
        _import(store, demo_document(), label="the demo portfolio")
    finally:
        store.close()
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graph-itsm",
        description="An IT service provider's portfolio as a graph. The database comes from GRAPH_ITSM_DB "
        "(unset: the embedded FalkorDB under ./.graph-itsm/; bolt:// or neo4j://: Neo4j; redis://: FalkorDB).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="start the GraphQL API (GraphiQL at /graphql, health at /healthz)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--demo", action="store_true", help="load the built-in demo portfolio first (idempotent)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])

    p = sub.add_parser("import", help="import a portfolio document (JSON or YAML); nothing is written if invalid")
    p.add_argument("file", type=Path)
    p.add_argument("--replace", action="store_true", help="empty the graph first (in the same run)")

    p = sub.add_parser("export", help="export the portfolio as a document (stdout when FILE is not given)")
    p.add_argument("file", nargs="?", type=Path)
    p.add_argument("--format", choices=["json", "yaml"])

    sub.add_parser("demo", help="load the built-in demo portfolio")
    for register in _extensions():
        _COMMANDS.update(register(sub))
    return parser


def _extensions() -> list[Callable[[Any], dict[str, Callable[[argparse.Namespace], int]]]]:
    """Other domains' subcommands: each ``register(subparsers)`` adds its parsers and returns
    ``{command: handler}``. Imported when the parser is built, so those modules may import this one."""
    from graph_itsm.analytics.cli import register as analytics  # analytics, cypher
    from graph_itsm.access.cli import register as access  # token
    from graph_itsm.impact.cli import register as impact  # impact

    return [analytics, impact, access]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
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
