"""Refresh the sample answers in docs/queries.md (and so the README): every block that follows a
line `$ kgbuild query outputs/graph.ttl --name NAME [--param K=V …]` is replaced by that query's
current output on the bundled sample, and every block after `$ kgbuild query examples/graph.ttl
--name NAME …` by its output on the example reports of docs/examples/events (several dated reports
of the same events, for the questions about time and sources). Run after changing the extractor:
`python scripts/update_query_docs.py`."""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgbuild.build import run  # noqa: E402
from kgbuild.cli import SAMPLE  # noqa: E402
from kgbuild.query_params import parse_assignments  # noqa: E402
from kgbuild.store import format_results, load_files, named_query, open_store, query  # noqa: E402

EXAMPLES = ROOT / "docs" / "examples" / "events"
BLOCK = re.compile(r"(    \$ kgbuild query (outputs|examples)/graph\.ttl --name ([\w-]+)((?: --param \S+)*)\n\n```text\n)"
                   r"(.*?)(```)", re.S)


def main(path: Path = ROOT / "docs" / "queries.md") -> None:
    stores = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, source in (("outputs", SAMPLE), ("examples", EXAMPLES)):
            out = Path(tmp) / name
            run([source], out, html=False)
            stores[name] = open_store(None)
            load_files(stores[name], [out / "graph.ttl"])

    def answer(m: re.Match) -> str:
        params = parse_assignments(m.group(4).split(" --param ")[1:]) if m.group(4) else None
        rows = query(stores[m.group(2)], named_query(m.group(3)), params=params)
        return m.group(1) + format_results(rows, "table") + "\n" + m.group(6)

    text = BLOCK.sub(answer, path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
