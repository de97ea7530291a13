"""Where the folders shipped with the tool are: ``inventories`` (the data) and ``docs``.

A wheel (``pip install .``) carries them inside the package, as ``lca/_shipped/<name>`` (copied there by
``setup.py``); a source checkout or an editable install has them at the top of the repository, beside ``lca/``.
"""
from __future__ import annotations

from pathlib import Path

_INSTALLED = Path(__file__).resolve().parents[1] / "_shipped"
_CHECKOUT = Path(__file__).resolve().parents[2]
#: The folders the build ships (setup.py copies the same names).
FOLDERS = ("inventories", "docs")


def shipped_path(name: str) -> Path:
    """The shipped folder ``name`` (one of :data:`FOLDERS`): the installed copy if there is one, else the checkout's.

    The path may not exist (a checkout without ``docs``); callers say so in their own terms.
    """
    if name not in FOLDERS:
        raise ValueError(f"unknown shipped folder {name!r}; expected one of {', '.join(FOLDERS)}")
    installed = _INSTALLED / name
    return installed if installed.is_dir() else _CHECKOUT / name
