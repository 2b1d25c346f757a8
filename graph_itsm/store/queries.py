"""Named Cypher queries loaded from ``cypher/<domain>/<name>.cypher``.

Each file starts with a ``//`` header::

    // name: portfolio/get_services
    // returns: many            (one | many | scalar | write)
    // param ids: list<string>
    // param top: int = 10 -- how many rows         (optional default after ``=``, description after `` -- ``)
    // columns: id, name                             (optional: the result columns, in order)

The loader checks at start-up that the declared params and the ``$params`` used in the text agree, so a
broken query fails at boot, not per request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Query", "QueryLibrary", "QueryFileError", "cypher_root", "library"]

_RETURNS = {"one", "many", "scalar", "write"}
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Comments and string literals in one left-to-right pass, so an apostrophe in a comment opens no string and
# a `//` inside a string starts no comment.
_COMMENT_OR_STRING = re.compile(r"//[^\n]*|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


class QueryFileError(ValueError):
    """A ``.cypher`` file whose header is missing or disagrees with its text."""


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    returns: str
    params: dict[str, str]  # name -> declared type
    path: Path | None = None
    description: str = ""
    defaults: dict[str, str] | None = None
    columns: tuple[str, ...] = ()
    param_docs: dict[str, str] | None = None  # name -> the description after `` -- ``

    def __str__(self) -> str:
        return self.text


def cypher_root() -> Path:
    """The ``cypher/`` folder: beside the package in a checkout, or shipped inside it when installed."""
    here = Path(__file__).parent.parent  # the package folder (not resolved: it holds a link in a checkout)
    for candidate in (here / "cypher", here.parent / "cypher"):
        if candidate.is_dir():
            return candidate
    raise QueryFileError(f"no cypher/ folder found next to {here}")


def parse_query(text: str, *, path: Path | None = None, name: str | None = None) -> Query:
    header: dict[str, str] = {}
    params: dict[str, str] = {}
    defaults: dict[str, str] = {}
    param_docs: dict[str, str] = {}
    description: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break
        body = stripped[2:].strip()
        key, sep, value = body.partition(":")
        key = key.strip()
        if sep and key.startswith("param "):
            pname = key[len("param ") :].strip()
            value, _, doc = value.partition(" -- ")
            ptype, _, default = value.strip().partition("=")
            params[pname] = ptype.strip()
            if default.strip():
                defaults[pname] = default.strip()
            if doc.strip():
                param_docs[pname] = doc.strip()
        elif sep and key in ("name", "returns", "columns"):
            header[key] = value.strip()
        elif sep and key == "description":
            description.append(value.strip())
        elif description and body:
            description.append(body)
    where = str(path) if path else (name or "<query>")
    qname = header.get("name") or name
    if not qname:
        raise QueryFileError(f"{where}: header has no '// name:' line")
    if name and header.get("name") and header["name"] != name:
        raise QueryFileError(f"{where}: header names {header['name']!r} but the file is {name!r}")
    returns = header.get("returns", "")
    if returns not in _RETURNS:
        raise QueryFileError(f"{where}: '// returns:' must be one of {sorted(_RETURNS)}, not {returns!r}")
    code = _COMMENT_OR_STRING.sub(lambda m: "" if m[0].startswith("//") else "''", text)
    used = set(_PARAM_USE.findall(code))
    declared = set(params)
    if used != declared:
        problems = []
        if used - declared:
            problems.append(f"used but not declared: {sorted(used - declared)}")
        if declared - used:
            problems.append(f"declared but not used: {sorted(declared - used)}")
        raise QueryFileError(f"{where}: params disagree with the header ({'; '.join(problems)})")
    return Query(
        name=qname,
        text=text,
        returns=returns,
        params=params,
        path=path,
        description=" ".join(description),
        defaults=defaults,
        columns=tuple(c.strip() for c in header.get("columns", "").split(",") if c.strip()),
        param_docs=param_docs,
    )


class QueryLibrary:
    """Every query under a root folder, by name (``domain/name``)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or cypher_root()
        self._queries: dict[str, Query] = {}
        errors: list[str] = []
        for path in sorted(self.root.rglob("*.cypher")):
            name = path.relative_to(self.root).with_suffix("").as_posix()
            try:
                self._queries[name] = parse_query(path.read_text(encoding="utf-8"), path=path, name=name)
            except QueryFileError as e:
                errors.append(str(e))
        if errors:
            raise QueryFileError("broken Cypher files:\n" + "\n".join(errors))

    def __getitem__(self, name: str) -> Query:
        try:
            return self._queries[name]
        except KeyError:
            raise KeyError(f"no Cypher query named {name!r} under {self.root}") from None

    def __contains__(self, name: str) -> bool:
        return name in self._queries

    def names(self, prefix: str = "") -> list[str]:
        return sorted(n for n in self._queries if n.startswith(prefix))


_LIBRARY: QueryLibrary | None = None


def library() -> QueryLibrary:
    """The process-wide library, loaded (and checked) once."""
    global _LIBRARY
    if _LIBRARY is None:
        _LIBRARY = QueryLibrary()
    return _LIBRARY
