"""`kgbuild serve`: the store as a SPARQL 1.1 endpoint, by running the Oxigraph server.

We do not write an HTTP layer: the `oxigraph` PyPI package ships the server binary
(`oxigraph serve`), which speaks SPARQL 1.1 Query (`/query`), Update (`/update`) and the Graph
Store Protocol (`/store`), with content negotiation, and a query UI at `/`. This module finds the
binary, checks what it would otherwise report with a Rust backtrace (no binary, store folder
locked by another process, port taken), and then replaces the current process with it, so that
Ctrl-C and `kill` reach the server directly and no orphan can be left behind.

The server runs with `--union-default-graph` by default: kgbuild keeps each document in its own
named graph (see incremental.py), and a query without `GRAPH` should see all of them, as
`kgbuild query --store` does.
"""
from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878


class ServerError(Exception):
    """A reason the server cannot start, in one line."""


def oxigraph_binary() -> str:
    """The `oxigraph` executable installed beside this interpreter (the venv), else on PATH."""
    local = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    if local.is_file():
        return str(local)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServerError("the Oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6'")


def bind_address(host: str, port: int) -> str:
    """`HOST:PORT` as oxigraph's --bind expects it (IPv6 literals in brackets)."""
    try:
        if ipaddress.ip_address(host).version == 6:
            return f"[{host}]:{port}"
    except ValueError:
        pass
    return f"{host}:{port}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
    return f"http://{bind_address(shown, port)}"


def command(store: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, read_only: bool = False,
            union_default_graph: bool = True, cors: bool = False, timeout_s: int | None = None) -> list[str]:
    cmd = [oxigraph_binary(), "serve-read-only" if read_only else "serve",
           "--location", str(store), "--bind", bind_address(host, port)]
    if union_default_graph:
        cmd.append("--union-default-graph")
    if cors:
        cmd.append("--cors")
    if timeout_s:
        cmd += ["--timeout-s", str(timeout_s)]
    return cmd


def server_env() -> dict[str, str]:
    """Oxigraph's start-up errors are one line unless a backtrace is asked for: don't ask."""
    env = dict(os.environ)
    env.setdefault("RUST_LIB_BACKTRACE", "0")
    return env


def check(store: Path, host: str, port: int, *, read_only: bool = False) -> None:
    """Fail early, in one line, for what `oxigraph serve` would report less clearly."""
    if read_only and not store.is_dir():
        raise ServerError(f"no store at {store} (a read-only server cannot create one)")
    if store.exists() and not store.is_dir():
        raise ServerError(f"{store} is a file, not a store folder")
    if store.is_dir() and (store / "LOCK").exists():
        from .store import StoreBusyError, open_store

        try:
            st = open_store(store)
            del st  # only probing: release the lock at once
        except StoreBusyError:
            raise ServerError(f"store {store} is open in another process (another `kgbuild serve`, or a build "
                              f"with --store); stop it first") from None
        except OSError as exc:
            raise ServerError(f"cannot open store {store}: {exc}") from None
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as exc:
        raise ServerError(f"cannot listen on {bind_address(host, port)}: {exc.strerror or exc}") from None


def start(store: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, **options) -> subprocess.Popen:
    """The server as a child process (for tests and embedding); stop it with `.terminate()`."""
    return subprocess.Popen(command(store, host, port, **options), env=server_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_ready(url: str, proc: subprocess.Popen | None = None, timeout: float = 30.0) -> None:
    """Poll the query endpoint until it answers; raise ServerError if the process dies first."""
    import requests

    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            err = (proc.stderr.read() if proc.stderr else "") or ""
            first = next((line.strip() for line in err.splitlines() if line.strip()), f"exit code {proc.returncode}")
            raise ServerError(f"oxigraph server exited: {first}")
        try:
            r = requests.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2,
                             headers={"Accept": "application/sparql-results+json"})
            if r.ok:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise ServerError(f"oxigraph server did not answer at {url} within {timeout:.0f} s")
        time.sleep(0.1)


def serve(store: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, echo=print, **options) -> int:
    """Run the server in the foreground until interrupted: on POSIX by exec (no return)."""
    store = Path(store)
    check(store, host, port, read_only=options.get("read_only", False))
    cmd = command(store, host, port, **options)
    url = base_url(host, port)
    if not store.exists():
        echo(f"{store} does not exist: starting with an empty store there (fill it with `kgbuild push`)")
    ro = options.get("read_only", False)
    echo(f"serving {store} at {url}/ (SPARQL query {url}/query, Graph Store {url}/store"
         + (", read-only)" if ro else f", update {url}/update)"))
    if not is_loopback(host):
        echo(f"warning: {host} is not a loopback address and the endpoint has no authentication"
             + ("" if ro else "; anyone who reaches it can change the store (see --read-only)"))
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execve(cmd[0], cmd, server_env())
    try:
        return subprocess.call(cmd, env=server_env())
    except KeyboardInterrupt:
        return 130
