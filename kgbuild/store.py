"""The embedded SPARQL store (pyoxigraph) and queries against a store or a graph file.

Queries are run as given by the user or read from `ontology/queries/*.rq`; nothing here builds
SPARQL by pasting article text.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox


RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
               ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML}
BULK_THRESHOLD = 20 * 1024 * 1024  # bytes: above this, Oxigraph's (non-transactional) bulk loader


def rdf_format(path: Path):
    try:
        return RDF_FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"{path}: unknown RDF format '{path.suffix}' (expected {', '.join(RDF_FORMATS)})") from None


def open_store(path: Path | None) -> ox.Store:
    return ox.Store(str(path)) if path else ox.Store()


def load_files(store: ox.Store, files: list[Path], graph: str | None = None) -> int:
    """Load RDF files; with `graph`, triples go into that named graph. Returns quads added."""
    before = len(store)
    for f in files:
        fmt = rdf_format(f)
        to_graph = ox.NamedNode(graph) if graph else None
        kwargs = {"format": fmt}
        if to_graph is not None and fmt not in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            kwargs["to_graph"] = to_graph
        if f.stat().st_size > BULK_THRESHOLD:
            store.bulk_load(path=str(f), **kwargs)
        else:
            store.load(path=str(f), **kwargs)
    store.flush()
    return len(store) - before


def _term(t) -> str | None:
    if t is None:
        return None
    return t.value if hasattr(t, "value") else str(t)


def query(store: ox.Store, sparql: str, use_default_graph_as_union: bool = True):
    return store.query(sparql, use_default_graph_as_union=use_default_graph_as_union)


def format_results(results, fmt: str = "table") -> str:
    if isinstance(results, bool):
        return json.dumps({"boolean": results}) if fmt == "json" else str(results).lower()
    if isinstance(results, ox.QueryTriples):
        return "".join(f"{t} .\n" for t in results)
    variables = [v.value for v in results.variables]
    rows = [[_term(sol[v]) for v in variables] for sol in results]
    if fmt == "json":
        return json.dumps({"head": {"vars": variables},
                           "results": {"bindings": [{v: {"value": x} for v, x in zip(variables, r) if x is not None}
                                                    for r in rows]}}, indent=1, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(variables)
        w.writerows([["" if x is None else x for x in r] for r in rows])
        return buf.getvalue()
    widths = [max([len(v)] + [len(x or "") for x in col]) for v, col in zip(variables, zip(*rows))] if rows else \
        [len(v) for v in variables]
    line = " | ".join(v.ljust(w) for v, w in zip(variables, widths))
    out = [line, "-+-".join("-" * w for w in widths)]
    out += [" | ".join((x or "").ljust(w) for x, w in zip(r, widths)) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def queries_dir() -> Path:
    """The shipped competency questions: `ontology/queries` beside the package (source checkout)."""
    return Path(__file__).resolve().parent.parent / "ontology" / "queries"


def named_query(name: str) -> str:
    path = queries_dir() / f"{name}.rq"
    if not path.is_file():
        names = sorted(p.stem for p in queries_dir().glob("*.rq"))
        raise ValueError(f"no shipped query '{name}' (available: {', '.join(names)})")
    return path.read_text(encoding="utf-8")


