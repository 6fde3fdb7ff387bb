"""A real Oxigraph server for tests: started on 127.0.0.1 on a free port, stopped at teardown.

Not a fixture module (tests/conftest.py belongs to others): test files wrap `running_server` in
their own fixtures.
"""
from __future__ import annotations

import contextlib
import socket
import subprocess
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import requests

from kgbuild.server import start, wait_ready


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    for pipe in (proc.stdout, proc.stderr):
        if pipe:
            pipe.close()


@contextlib.contextmanager
def running_server(store: Path, **options) -> Iterator[str]:
    """Yield the base URL (http://127.0.0.1:PORT) of an Oxigraph server on `store`."""
    port = free_port()
    proc = start(store, "127.0.0.1", port, **options)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, proc, timeout=30)
        yield url
    finally:
        stop(proc)


def select(url: str, query: str) -> list[dict[str, str]]:
    """Run a SELECT as a user's curl would (form-encoded POST, JSON results); values as strings."""
    r = requests.post(f"{url}/query", data={"query": query}, timeout=30,
                      headers={"Accept": "application/sparql-results+json"})
    r.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in r.json()["results"]["bindings"]]


def construct(url: str, query: str = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") -> set[ox.Triple]:
    r = requests.post(f"{url}/query", data={"query": query}, timeout=60,
                      headers={"Accept": "application/n-triples"})
    r.raise_for_status()
    return {ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(input=r.content, format=ox.RdfFormat.N_TRIPLES)}


def graph_names(url: str) -> set[str]:
    return {row["g"] for row in select(url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
