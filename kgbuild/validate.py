"""Check a graph against the graph contract's SHACL shapes (`ontology/shapes.ttl`) with pyshacl.

`validate(graph_or_path)` returns `(conforms, report_text)`; `check(graph_or_path)` returns the
structured `Report` the `kgbuild validate` command prints. Violations make a graph fail; shapes
marked `sh:Warning` (likely extraction errors that the contract does not forbid outright) are
listed in the report but do not, unless `warnings_fail=True`.

A TriG or N-Quads file (one named graph per document, entities in the default graph) is checked as
the union of its graphs, which is the graph a user's queries see.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.util import guess_format

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY = ONTOLOGY_DIR / "kgo.ttl"

GraphLike = Union[Graph, Path, str]

_QUAD_FORMATS = {"trig", "nquads", "trix"}


def shapes_path() -> Path:
    if not SHAPES.is_file():
        raise FileNotFoundError(f"SHACL shapes not found at {SHAPES} (kgbuild validate needs a source checkout "
                                "with the ontology/ folder beside the kgbuild package)")
    return SHAPES


def load_graph(source: GraphLike) -> Graph:
    """An rdflib Graph from a Graph, a Dataset (merged into one graph) or an RDF file."""
    if isinstance(source, Dataset):
        return _union(source)
    if isinstance(source, Graph):
        return source
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    fmt = guess_format(str(path)) or "turtle"
    if fmt in _QUAD_FORMATS:
        ds = Dataset()
        ds.parse(path, format=fmt)
        return _union(ds)
    g = Graph()
    g.parse(path, format=fmt)
    return g


def _union(ds: Dataset) -> Graph:
    g = Graph()
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _names(data: Graph) -> Graph:
    """An empty graph whose prefixes are the project's plus the data's, to shorten IRIs in reports."""
    from .namespace import KGO_IRI, RESOURCE_IRI

    g = Graph(bind_namespaces="rdflib")
    g.bind("kgo", KGO_IRI)
    g.bind("kgr", RESOURCE_IRI)
    for prefix, ns in data.namespaces():
        if prefix and prefix not in ("kgo", "kgr"):
            g.bind(prefix, ns, override=False)
    return g


def _short(g: Graph, term) -> str:
    if term is None:
        return "-"
    if isinstance(term, URIRef):
        try:
            return g.namespace_manager.normalizeUri(term)
        except Exception:  # noqa: BLE001 - any IRI that cannot be shortened is shown in full
            return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term)
        text = text if len(text) <= 60 else text[:57] + "..."
        dt = f"^^{_short(g, term.datatype)}" if term.datatype else ""
        return f'"{text}"{dt}'
    return f"_:{term}"  # a blank node: a nested shape or path


def _results(results: Graph, names: Graph) -> list[tuple[str, str, str, str, str]]:
    """(severity, focus, path, value, message) per top-level validation result, sorted. A result
    that only says a value does not conform to a nested shape (sh:node) takes the nested shape's
    own message, which says what is wrong."""
    out = []
    for report in results.subjects(RDF.type, SH.ValidationReport):
        for r in results.objects(report, SH.result):
            sev = results.value(r, SH.resultSeverity)
            sev = str(sev).rsplit("#", 1)[-1] if sev else "Violation"
            focus = results.value(r, SH.focusNode)
            path = results.value(r, SH.resultPath)
            value = results.value(r, SH.value)
            msgs = sorted(str(m) for m in results.objects(r, SH.resultMessage))
            details = sorted({str(m) for d in results.objects(r, SH.detail) for m in results.objects(d, SH.resultMessage)})
            if details and (not msgs or msgs[0].startswith("Value does not conform to Shape")):
                msgs = ["; ".join(details)]
            out.append((sev, _short(names, focus),
                        _short(names, path) if isinstance(path, URIRef) else ("-" if path is None else "(path)"),
                        "-" if value is None else _short(names, value), msgs[0] if msgs else ""))
    return sorted(set(out))


@dataclass
class Report:
    """The outcome of a validation: `rows` are (severity, focus, path, value, message), sorted."""

    conforms: bool
    triples: int
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.rows if r[0] == severity)

    @property
    def headline(self) -> str:
        v, w, i = self.count("Violation"), self.count("Warning"), self.count("Info")
        return (f"{'conforms' if self.conforms else 'does not conform'}: {self.triples} triples, "
                f"{v} violation{'s' if v != 1 else ''}, {w} warning{'s' if w != 1 else ''}"
                + (f", {i} info" if i else ""))

    def lines(self) -> list[str]:
        return [f"{sev}: {focus} {path} {value}: {msg}" for sev, focus, path, value, msg in self.rows]

    def text(self) -> str:
        return "\n".join([self.headline, *self.lines()])

    def by_message(self) -> list[tuple[int, str]]:
        """(count, 'severity: message') per distinct message, most frequent first."""
        c = Counter(f"{sev}: {msg}" for sev, _, _, _, msg in self.rows)
        return sorted(((n, m) for m, n in c.items()), key=lambda x: (-x[0], x[1]))


_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


def check(graph_or_path: GraphLike, shapes: GraphLike | None = None, *, warnings_fail: bool = False) -> Report:
    """Validate a graph (an rdflib Graph/Dataset or an RDF file) against the contract's shapes.

    The graph does not conform when a shape of severity Violation (or, with `warnings_fail`,
    Warning) is broken. Results are sorted, violations first, so a report is stable across runs.
    """
    from pyshacl import validate as shacl_validate

    data = load_graph(graph_or_path)
    shacl = load_graph(shapes) if shapes is not None else load_graph(shapes_path())
    _, results, _ = shacl_validate(data, shacl_graph=shacl, inference="none", advanced=True,
                                   allow_warnings=not warnings_fail, allow_infos=True)
    rows = sorted(_results(results, _names(data)), key=lambda r: (_ORDER.get(r[0], 3), r[1:]))
    fails = sum(1 for r in rows if r[0] == "Violation" or (warnings_fail and r[0] == "Warning"))
    return Report(conforms=fails == 0, triples=len(data), rows=rows)


def validate(graph_or_path: GraphLike, shapes: GraphLike | None = None, *,
             warnings_fail: bool = False) -> tuple[bool, str]:
    """`(conforms, report_text)` for a graph (an rdflib Graph/Dataset or an RDF file): the text is
    a headline ('conforms: N triples, 0 violations, 0 warnings') and one line per result."""
    report = check(graph_or_path, shapes, warnings_fail=warnings_fail)
    return report.conforms, report.text()
