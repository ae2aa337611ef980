"""ingest.archive: unsafe zips are refused before anything is extracted; safe ones extract exactly."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from ingest.archive import ArchiveError, check_zip, extract_zip


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buf.getvalue()


def _symlink(name: str, target: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


CASES = {
    "dot-dot": ([("../actors.csv", b"id\n")], "'..'"),
    "dot-dot-inside": ([("a/../../actors.csv", b"id\n")], "'..'"),
    "backslash-dot-dot": ([("..\\actors.csv", b"id\n")], "'..'"),
    "absolute": ([("/etc/actors.csv", b"id\n")], "absolute path"),
    "windows-absolute": ([("C:/actors.csv", b"id\n")], "absolute path"),
    "symlink": ([_symlink("actors.csv", "/etc/passwd")], "symbolic link"),
    "too-many-entries": ([(f"f{i}.csv", b"") for i in range(1001)], "1,001 entries"),
    "bomb-entry": ([("actors.csv", b"0" * 5_000_000)], "zip bomb"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unsafe_zip_refused_before_extraction(case: str, tmp_path: Path) -> None:
    entries, message = CASES[case]
    data = _zip(entries)
    dest = tmp_path / "out"
    with pytest.raises(ArchiveError) as e:
        extract_zip(data, dest, name="upload.zip")
    assert message in str(e.value)
    assert "nothing was extracted" in str(e.value) and "upload.zip" in str(e.value)
    assert e.value.exit_code == 1
    assert not dest.exists()  # refused before even creating the folder
    assert not list(tmp_path.parent.glob("actors.csv")) and not (tmp_path / "actors.csv").exists()


def test_total_size_limit(tmp_path: Path) -> None:
    data = _zip([("a.csv", b"x" * 2000), ("b.csv", b"y" * 2000)], method=zipfile.ZIP_STORED)
    with pytest.raises(ArchiveError, match="MB uncompressed"):
        extract_zip(data, tmp_path / "out", max_total_bytes=3000)
    assert not (tmp_path / "out").exists()


def test_ratio_limit_is_a_parameter(tmp_path: Path) -> None:
    import random

    rng = random.Random(1)
    text = "\n".join(f"actor-{rng.randrange(10**6)},Name {rng.randrange(10**6)},ngo" for _ in range(300)).encode()
    data = _zip([(f"f{i}.csv", text) for i in range(5)])
    summary = check_zip(data)  # an ordinary CSV zip compresses 2-5 times: accepted
    assert summary.total_bytes == 5 * len(text) and len(summary.files) == 5
    with pytest.raises(ArchiveError, match="zip bomb"):
        check_zip(data, max_ratio=1.5)


def test_not_a_zip(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="not a readable zip"):
        extract_zip(b"this is not a zip", tmp_path / "out", name="x.zip")


def test_safe_zip_extracts_exactly(tmp_path: Path) -> None:
    data = _zip([("seed/", b""), ("seed/actors.csv", b"id,name,type\na,A,ngo\n"), ("seed/links.csv", b"x\n")])
    files = extract_zip(data, tmp_path / "out")
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in files) == ["seed/actors.csv", "seed/links.csv"]
    assert (tmp_path / "out" / "seed" / "actors.csv").read_bytes() == b"id,name,type\na,A,ngo\n"


def test_duplicate_entry_keeps_nothing(tmp_path: Path) -> None:
    data = _zip([("actors.csv", b"one\n"), ("actors.csv", b"two\n")])
    with pytest.raises(ArchiveError):
        extract_zip(data, tmp_path / "out")
    assert not list((tmp_path / "out").rglob("*.csv"))
