"""Safe file writing: atomic replacement, and spreadsheet rows whose text never becomes a formula."""
from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
import shutil
import signal
import threading
import time
from pathlib import Path

#: A temporary whose writer left no process id behind counts as stale after this long [s].
STALE_AFTER = 600


def _temporary_name(path: Path, kind: str = "tmp") -> str:
    return f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.{kind}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:          # it exists, owned by someone else
        return True
    return True


def remove_stale_temporaries(path: str | os.PathLike) -> list[Path]:
    """Remove temporaries of ``path`` left by a killed writer (SIGKILL, power loss); return those removed.

    A temporary is ``.<name>.<pid>.<random>.tmp`` (or ``.bak``) beside ``path``; it is stale when that
    process no longer exists (or, for the older ``.<name>.<random>.tmp``, after :data:`STALE_AFTER` s).
    """
    path = Path(path)
    removed = []
    if not path.parent.is_dir():
        return removed
    for candidate in path.parent.glob(f".{glob.escape(path.name)}.*"):
        parts = candidate.name[len(path.name) + 2:].split(".")
        if parts[-1] not in ("tmp", "bak"):
            continue
        if len(parts) == 3 and parts[0].isdigit():
            stale = not _alive(int(parts[0]))
        else:
            try:
                stale = time.time() - candidate.stat().st_mtime > STALE_AFTER
            except OSError:
                continue
        if stale:
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed.append(candidate)
    return removed


@contextlib.contextmanager
def atomic_paths(paths):
    """Yield one temporary path beside each of ``paths``; when the block succeeds, rename them all into place.

    All or nothing: if the block fails, or any rename fails, every target keeps its earlier content (or
    stays absent) and every temporary is removed. Stale temporaries of the targets from a killed earlier
    run are removed first. A target that is a directory is refused before anything is written.
    """
    targets = [Path(p) for p in paths]
    for target in targets:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory, expected a file path", str(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
    temporaries = [target.with_name(_temporary_name(target)) for target in targets]
    backups: dict[Path, Path] = {}
    committed: list[Path] = []
    try:
        for tmp in temporaries:
            tmp.touch(mode=0o600)
        yield temporaries
        for target, tmp in zip(targets, temporaries):
            os.chmod(tmp, _mode_for(target))
        for target in targets:                  # keep the earlier files until every rename succeeded
            if target.exists():
                backup = target.with_name(_temporary_name(target, "bak"))
                try:
                    os.link(target, backup)
                except OSError:             # no hard links on this file system
                    shutil.copy2(target, backup)
                backups[target] = backup
        try:
            for target, tmp in zip(targets, temporaries):
                os.replace(tmp, target)
                committed.append(target)
        except BaseException:
            for target in committed:
                if target in backups:
                    os.replace(backups.pop(target), target)
                else:
                    target.unlink()
            raise
    finally:
        for leftover in [*temporaries, *backups.values()]:
            with contextlib.suppress(OSError):
                leftover.unlink()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path beside ``path``; on success rename it over ``path`` (see :func:`atomic_paths`).

    A failure (or a kill) before the rename leaves any earlier file intact.
    """
    with atomic_paths([path]) as (tmp,):
        yield tmp


class Terminated(KeyboardInterrupt):
    """SIGTERM received: raised in the main thread so that ``finally`` blocks remove temporaries."""


def raise_on_sigterm() -> None:
    """Turn SIGTERM into :class:`Terminated` (like SIGINT into KeyboardInterrupt) in this process."""
    def handler(signum, frame):
        raise Terminated(f"terminated by signal {signum}")

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def _mode_for(path: Path) -> int:
    """Permissions of the replaced file, or those a new file gets (mkstemp's are owner-only)."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def append_row(sheet, values) -> None:
    """Append ``values`` to an openpyxl worksheet; every string stays text.

    openpyxl turns a string starting with ``=`` into a formula; forcing the
    cell type to string means text from inputs (an activity named
    ``=HYPERLINK(...)``) is shown as written and never evaluated.
    """
    sheet.append(list(values))
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row, column)
            cell.value = value
            cell.data_type = "s"
