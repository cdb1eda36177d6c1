from pathlib import Path

from tasks.read import body_hash, discover_inputs, read_files, skip_finished


def test_discover_recurses_takes_known_types_and_rejects_unknown_named_files(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "页面 一.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "b.txt").write_text("text", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored inside a directory", encoding="utf-8")
    named = tmp_path / "data.csv"
    named.write_text("a,b", encoding="utf-8")

    found = discover_inputs([tmp_path, named, tmp_path / "missing.html"])

    names = sorted(Path(ref.path).name for ref in found.items)
    assert names == ["b.txt", "页面 一.html"]
    assert all(ref.url.startswith("file://") for ref in found.items)
    reasons = sorted(r.reason for r in found.rejections)
    assert reasons[0] == "no such file or directory"
    assert "unsupported file type '.csv'" in reasons[1]


def test_read_files_rejects_empty_and_hashes_bodies(tmp_path: Path):
    page = tmp_path / "p.html"
    page.write_bytes(b"<html>\xd6\xd0</html>")
    empty = tmp_path / "e.html"
    empty.write_bytes(b"  \n")
    refs = discover_inputs([page, empty]).items

    result = read_files(refs)

    assert [p.body for p in result.items] == [page.read_bytes()]
    assert result.items[0].input_hash == body_hash(page.read_bytes())
    assert result.items[0].kind == "html"
    assert [(r.stage, r.reason) for r in result.rejections] == [("read", "empty file")]


def test_skip_finished_keeps_changed_and_new_inputs(tmp_path: Path):
    for name, body in [("same.txt", "one"), ("changed.txt", "two"), ("new.txt", "three")]:
        (tmp_path / name).write_text(body, encoding="utf-8")
    pages = read_files(discover_inputs([tmp_path]).items).items
    by_name = {Path(p.url).name: p for p in pages}
    finished = {by_name["same.txt"].url: by_name["same.txt"].input_hash,
                by_name["changed.txt"].url: "an older hash"}

    todo, unchanged = skip_finished(pages, finished)

    assert unchanged == 1
    assert sorted(Path(p.url).name for p in todo) == ["changed.txt", "new.txt"]
