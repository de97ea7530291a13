"""Safe file writing: atomic replacement, and spreadsheet rows whose text never becomes a formula."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    A failure (or a kill) before the rename leaves any earlier file intact.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        yield Path(tmp)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


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
