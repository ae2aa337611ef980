"""Safe extraction of an uploaded zip of CSV files: every entry is checked before anything is written.

`check_zip` reads only the archive's central directory and refuses, with an `ArchiveError`
naming the archive, the entry and what to do:

- more than `MAX_ENTRIES` entries;
- an absolute path (``/x``, ``\\x``, ``C:x``), a ``..`` component, or a NUL in a name;
- a symbolic link (Unix mode bits in the entry's external attributes), or an encrypted entry;
- a total uncompressed size over `MAX_TOTAL_BYTES`;
- a compression ratio over `MAX_RATIO`, for an entry or for the whole archive (zip bombs).

`extract_zip` runs `check_zip` first and only then writes the regular files, each checked again to
land inside the target folder, with the bytes actually written counted against the declared sizes
(a lying header cannot write more than was checked).
"""

from __future__ import annotations

import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from graph.errors import PartnetError

__all__ = ["MAX_ENTRIES", "MAX_RATIO", "MAX_TOTAL_BYTES", "ArchiveError", "ZipSummary", "check_zip", "extract_zip"]

MAX_ENTRIES = 1000
MAX_RATIO = 100.0
MAX_TOTAL_BYTES = 1024**3  # 1 GiB uncompressed
_CHUNK = 1024 * 1024


class ArchiveError(PartnetError):
    """An uploaded archive was refused before anything was extracted (exit code 1)."""

    exit_code = 1


@dataclass(frozen=True)
class ZipSummary:
    """What `check_zip` found: the regular files' names, their number and their total uncompressed size."""

    files: tuple[str, ...]
    total_bytes: int


def _label(source: str | Path | BinaryIO, name: str | None) -> str:
    if name:
        return name
    return str(source) if isinstance(source, str | Path) else "the uploaded zip"


def _open(source: str | Path | bytes | BinaryIO, label: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes | bytearray) else source)
    except (zipfile.BadZipFile, EOFError, ValueError) as e:
        raise ArchiveError(f"{label} is not a readable zip archive ({e})",
                           hint="zip the CSV files again, or upload the Excel workbook instead") from None
    except OSError as e:
        raise ArchiveError(f"cannot read {label}: {e.strerror or e}", hint="check the file exists and is readable") \
            from None


def _bad_name(name: str) -> str:
    """Why an entry name is unsafe ("" when it is fine)."""
    if "\x00" in name:
        return "holds a NUL character"
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":"):
        return "is an absolute path"
    if ".." in PurePosixPath(unified).parts:
        return "climbs out of the folder with '..'"
    return ""


def check_zip(source: str | Path | bytes | BinaryIO, *, name: str | None = None, max_entries: int = MAX_ENTRIES,
              max_total_bytes: int = MAX_TOTAL_BYTES, max_ratio: float = MAX_RATIO) -> ZipSummary:
    """Check every entry of a zip archive without extracting anything.

    Parameters
    ----------
    source : path, bytes or binary file
        The archive.
    name : str, optional
        How to name the archive in messages (e.g. the uploaded file's name).
    max_entries, max_total_bytes, max_ratio
        The limits (defaults `MAX_ENTRIES`, `MAX_TOTAL_BYTES`, `MAX_RATIO`).

    Returns
    -------
    ZipSummary
        The regular files (directories left out) and their total declared size.

    Raises
    ------
    ArchiveError
        The first reason to refuse the archive, naming the entry.
    """
    label = _label(source if not isinstance(source, bytes | bytearray) else "", name)
    with _open(source, label) as zf:
        infos = zf.infolist()
        if len(infos) > max_entries:
            raise ArchiveError(f"{label} has {len(infos):,} entries, more than the {max_entries:,} allowed; "
                               "nothing was extracted",
                               hint="zip only the import tables (actors.csv, partnerships.csv, ...)")
        files, total, compressed = [], 0, 0
        for info in infos:
            why = _bad_name(info.filename)
            if why:
                raise ArchiveError(f"{label}: entry {info.filename!r} {why}; nothing was extracted",
                                   hint="zip the CSV files from inside their folder, with plain relative names")
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                raise ArchiveError(f"{label}: entry {info.filename!r} is a symbolic link; nothing was extracted",
                                   hint="zip the files themselves, not links to them")
            if info.flag_bits & 0x1:
                raise ArchiveError(f"{label}: entry {info.filename!r} is encrypted; nothing was extracted",
                                   hint="zip the files without a password")
            if info.is_dir():
                continue
            total += info.file_size
            compressed += info.compress_size
            if info.file_size > max_ratio * max(info.compress_size, 1):
                ratio = info.file_size / max(info.compress_size, 1)
                raise ArchiveError(f"{label}: entry {info.filename!r} expands {ratio:,.0f} times "
                                   f"(more than {max_ratio:g}): a possible zip bomb; nothing was extracted",
                                   hint="upload the CSV files zipped normally, or the Excel workbook")
            if total > max_total_bytes:
                raise ArchiveError(f"{label} holds more than {max_total_bytes / 1024**2:,.0f} MB uncompressed; "
                                   "nothing was extracted", hint="split the data, or load it with `partnet ingest`")
            files.append(info.filename)
        if total > max_ratio * max(compressed, 1):
            raise ArchiveError(f"{label} expands {total / max(compressed, 1):,.0f} times (more than {max_ratio:g}): "
                               "a possible zip bomb; nothing was extracted",
                               hint="upload the CSV files zipped normally, or the Excel workbook")
    return ZipSummary(tuple(files), total)


def extract_zip(source: str | Path | bytes | BinaryIO, dest: str | Path, *, name: str | None = None,
                **limits: float) -> list[Path]:
    """Check the archive (`check_zip`), then extract its regular files under ``dest``; return their paths.

    Raises `ArchiveError` before writing anything when the archive breaks a rule, and stops (removing
    what it wrote) if an entry turns out larger than its header said.
    """
    summary = check_zip(source, name=name, **limits)  # type: ignore[arg-type]
    label = _label(source if not isinstance(source, bytes | bytearray) else "", name)
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    if not isinstance(source, str | Path | bytes | bytearray):
        source.seek(0)
    written: list[Path] = []
    with _open(source, label) as zf:
        try:
            for entry in summary.files:
                info = zf.getinfo(entry)
                target = (dest / entry.replace("\\", "/")).resolve()
                if not target.is_relative_to(dest):
                    raise ArchiveError(f"{label}: entry {entry!r} would land outside the folder; "
                                       "nothing was extracted", hint="zip the files with plain relative names")
                target.parent.mkdir(parents=True, exist_ok=True)
                n = 0
                with zf.open(info) as src, open(target, "xb") as out:
                    written.append(target)
                    while chunk := src.read(_CHUNK):
                        n += len(chunk)
                        if n > info.file_size:
                            raise ArchiveError(f"{label}: entry {entry!r} is larger than its header says; "
                                               "nothing was extracted", hint="zip the files again")
                        out.write(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, ArchiveError) as e:
            for p in written:
                p.unlink(missing_ok=True)
            if isinstance(e, ArchiveError):
                raise
            raise ArchiveError(f"{label}: entry could not be extracted ({e}); nothing was kept",
                               hint="zip the CSV files again") from None
    return written
