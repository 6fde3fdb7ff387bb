"""Compose README.md from its head (docs/README.head.md) and the per-topic sections in docs/, so
each topic is written once: `python scripts/build_readme.py`."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ["store.md", "queries.md", "html.md", "scale.md"]


def main() -> None:
    parts = [(ROOT / "docs" / "README.head.md").read_text(encoding="utf-8").rstrip() + "\n"]
    for name in SECTIONS:
        text = (ROOT / "docs" / name).read_text(encoding="utf-8").replace("](../", "](")
        parts.append(text.rstrip() + "\n")
    (ROOT / "README.md").write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
