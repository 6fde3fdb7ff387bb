"""Reading articles: the contract's text format, HTML, JSON records, folders, and bad input."""
import json
from pathlib import Path

from kgbuild.ingest import Document, IngestError, iter_documents, parse_article, sanitize_id

ARTICLE = "Talks resume in Doha\n\n-----\n\nDate: 2024-03-01\nSource: Example Wire\n\nQatar said on Friday that talks had resumed.\n"


def docs(paths):
    return [d for d in iter_documents(paths)]


def test_headline_metadata_and_body_offset():
    headline, meta, body = parse_article(ARTICLE)
    assert headline == "Talks resume in Doha"
    assert meta == {"date": "2024-03-01", "source": "Example Wire"}
    assert ARTICLE[body:].startswith("Qatar said")


def test_folder_is_read_recursively_in_stable_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "second.txt").write_text(ARTICLE)
    (tmp_path / "first.md").write_text(ARTICLE)
    (tmp_path / "notes.gold.json").write_text("{}")  # gold files are not articles
    got = docs([tmp_path])
    assert [d.meta.id for d in got] == ["second", "first"] or [d.meta.id for d in got] == ["first", "second"]
    assert all(isinstance(d, Document) for d in got)
    assert got[0].meta.date == "2024-03-01"


def test_json_and_jsonl_records(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"id": "rec-1", "title": "T", "text": "Oman said the talks went well."}))
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "Egypt said it would host the talks."}) + "\n"
                                      + json.dumps({"title": "no text"}) + "\n")
    got = docs([tmp_path])
    ids = [d.meta.id for d in got if isinstance(d, Document)]
    assert ids == ["rec-1", "b-1"]
    errors = [str(e) for e in got if isinstance(e, IngestError)]
    assert errors == [f"{tmp_path / 'b.jsonl'}:2: JSON record has no 'text' string"]


def test_html_main_text_is_extracted(tmp_path):
    page = ("<html><head><title>Swap done</title></head><body><nav>Home | World</nav><article>"
            "<h1>Swap done</h1><p>Russia and the United States exchanged two prisoners in Abu Dhabi on Thursday, "
            "officials said, in a deal mediated by the United Arab Emirates.</p><p>The ministry said more "
            "exchanges were possible and that the talks had been constructive for both of the sides.</p>"
            "</article><footer>Copyright</footer></body></html>")
    (tmp_path / "swap.html").write_text(page)
    [d] = docs([tmp_path / "swap.html"])
    assert isinstance(d, Document)
    assert "Abu Dhabi" in d.text and "Copyright" not in d.text


def test_bad_inputs_are_named_and_skipped(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00bad")
    (tmp_path / "french.txt").write_text("Le Qatar a annoncé une trêve entre les deux parties après des semaines "
                                         "de négociations difficiles dans la capitale.")
    (tmp_path / "big.txt").write_bytes(b"a " * (3 * 1024 * 1024))
    (tmp_path / "good.txt").write_text(ARTICLE)
    got = list(iter_documents([tmp_path, tmp_path / "missing.txt"], max_bytes=1024 * 1024))
    problems = {Path(e.source).name: e.problem for e in got if isinstance(e, IngestError)}
    assert problems["empty.txt"].startswith("empty document")
    assert problems["binary.txt"].startswith("not UTF-8")
    assert problems["french.txt"].startswith("not English")
    assert problems["big.txt"].startswith("too large")
    assert problems["missing.txt"] == "no such file or folder"
    assert [d.meta.id for d in got if isinstance(d, Document)] == ["good"]


def test_document_ids_are_safe_for_iris_and_file_names():
    assert sanitize_id("../../etc/passwd") == "etc-passwd"
    assert sanitize_id("a b<script>") == "a-b-script"
    assert sanitize_id("") == "document"
