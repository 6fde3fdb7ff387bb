"""Refresh the sample answers in docs/queries.md (and so the README): every block that follows a
line `$ kgbuild query outputs/graph.ttl --name NAME` is replaced by that query's current output
on the bundled sample. Run after changing the extractor: `python scripts/update_query_docs.py`."""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgbuild.build import run  # noqa: E402
from kgbuild.cli import SAMPLE  # noqa: E402
from kgbuild.store import format_results, load_files, named_query, open_store, query  # noqa: E402

BLOCK = re.compile(r"(    \$ kgbuild query outputs/graph\.ttl --name ([\w-]+)\n\n```text\n)(.*?)(```)", re.S)


def main(path: Path = ROOT / "docs" / "queries.md") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run([SAMPLE], Path(tmp), html=False)
        store = open_store(None)
        load_files(store, [Path(tmp) / "graph.ttl"])
        text = path.read_text(encoding="utf-8")
        text = BLOCK.sub(lambda m: m.group(1) + format_results(query(store, named_query(m.group(2))), "table")
                         + "\n" + m.group(4), text)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
