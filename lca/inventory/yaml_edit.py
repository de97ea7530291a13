"""Line edits of a YAML data file that leave every other line as it was.

An import from Excel changes a few values in files an analyst wrote by hand. Re-dumping the whole document
(even with ruamel.yaml's round trip) re-indents lists, re-wraps folded text and re-quotes strings, so a diff
of one edited amount touches a hundred lines. Here each change is made on the lines of the key it concerns:
the positions come from a ruamel.yaml round-trip load of the same text (``.lc``: line and column of each key
and list item), and the new lines are written in the file's own style (the indentation of the mapping, the
list offset the file uses, PyYAML's quoting of scalars, so the one loader, :mod:`lca.inventory.read`, reads
back what was meant).

:class:`TextEdits` collects the edits and :meth:`TextEdits.apply` splices them into the text. Anything the
line editor cannot place raises :class:`Unsupported`; the caller then dumps the whole document instead.
"""
from __future__ import annotations

import math

import yaml

from lca.errors import InputError


class Unsupported(InputError):
    """An edit the line editor cannot make in place (the caller falls back to a full dump)."""


def number_text(value: float) -> str:
    """A number as the data spells it: 12 significant digits, whole numbers without ``.0``, and an exponent
    only with a mantissa dot and a signed exponent (``1.0e-07``), which PyYAML (YAML 1.1) reads as a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    rounded = float(f"{float(value):.12g}")
    if rounded.is_integer() and abs(rounded) < 1e15:
        return str(int(rounded))
    text = repr(rounded)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        if exponent[0] not in "+-":
            exponent = "+" + exponent
        text = f"{mantissa}e{exponent}"
    return text


def rounded(value: float) -> float:
    """``value`` as :func:`number_text` writes it (what the file will hold)."""
    return float(number_text(value))


def scalar_text(value) -> str:
    """One scalar in YAML, quoted where PyYAML would otherwise read it as something else; a string loaded with
    ruamel.yaml's ``preserve_quotes`` keeps its quotes (double or single)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if value is None:
        return "null"
    style = {"DoubleQuotedScalarString": '"', "SingleQuotedScalarString": "'"}.get(type(value).__name__)
    text = yaml.safe_dump({"k": str(value)}, allow_unicode=True, width=1_000_000, default_flow_style=False,
                          default_style=style)
    if style:                                  # the key is quoted too: '"k": "text"'
        return text.split(": ", 1)[1].rstrip("\n")
    return text[len("k: "):].rstrip("\n").removesuffix("\n...")


def value_lines(key: str, value, indent: int, offset: int) -> list[str]:
    """``key: value`` as lines at column ``indent``: scalars inline, a mapping of scalars in flow style
    (``{distribution: triangular, low: .., high: ..}``), a list of mappings as a block list whose dashes sit
    ``offset`` columns right of the key (the file's own list style)."""
    pad = " " * indent
    if isinstance(value, dict):
        if any(isinstance(v, (dict, list)) for v in value.values()):
            raise Unsupported(f"nested mapping under '{key}'")
        inner = ", ".join(f"{k}: {scalar_text(v)}" for k, v in value.items())
        return [f"{pad}{key}: {{{inner}}}\n"]
    if isinstance(value, list):
        lines = [f"{pad}{key}:\n"]
        for item in value:
            lines += item_lines(item, indent + offset, offset)
        return lines
    return [f"{pad}{key}: {scalar_text(value)}\n"]


def item_lines(mapping: dict, dash: int, offset: int) -> list[str]:
    """One list item (a mapping) in block style, its dash at column ``dash``."""
    lines = []
    for index, (key, value) in enumerate(mapping.items()):
        lines += value_lines(key, value, dash + 2, offset)
        if index == 0:
            lines[0] = " " * dash + "- " + lines[0][dash + 2:]
    return lines


class TextEdits:
    """Edits of one file's lines, placed by the ruamel.yaml round-trip document loaded from the same text."""

    def __init__(self, text: str):
        self.lines = text.splitlines(keepends=True)
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += "\n"
        self.edits: list[tuple[int, int, list[str]]] = []     # (first line, end line, new lines)
        self.offset = 2          # the file's list style: dashes this many columns right of their key
        self.failed = False      # an edit could not be placed: the caller dumps the whole document

    # --- where things are -------------------------------------------------------------------------------

    def _indent(self, number: int) -> int:
        line = self.lines[number]
        return len(line) - len(line.lstrip(" "))

    def _end(self, start: int, column: int) -> int:
        """The line after the block that starts at ``start``: the next non-blank line at or left of ``column``
        (trailing blank lines stay outside)."""
        end = start + 1
        last = start
        while end < len(self.lines):
            line = self.lines[end]
            if line.strip():
                if self._indent(end) <= column:
                    break
                last = end
            end += 1
        return last + 1

    def key_span(self, mapping, key) -> tuple[int, int, int]:
        """(first line, end line, column) of ``key`` and its value in ``mapping``."""
        try:
            line, column = mapping.lc.key(key)
        except (AttributeError, KeyError, TypeError):
            raise Unsupported(f"no position for key '{key}'") from None
        if self.lines[line][column:].split(":", 1)[0].strip().strip("'\"") != str(key):
            raise Unsupported(f"key '{key}' is not where the parser put it (flow style?)")
        return line, self._end(line, column), column

    def item_span(self, sequence, index: int) -> tuple[int, int, int]:
        """(first line, end line, dash column) of item ``index`` of a block list of mappings."""
        try:
            line, column = sequence.lc.item(index)
        except (AttributeError, KeyError, TypeError, IndexError):
            raise Unsupported(f"no position for list item {index}") from None
        before = self.lines[line][:column]
        if not before.rstrip().endswith("-"):
            raise Unsupported(f"list item {index} is not a block item ('- ...') on its own line")
        dash = len(before.rstrip()) - 1
        return line, self._end(line, dash), dash

    def list_offset(self, mapping, key) -> int:
        """How many columns right of ``key`` the dashes of its list sit (0 or 2 in our files)."""
        sequence = mapping[key]
        _, _, column = self.key_span(mapping, key)
        _, _, dash = self.item_span(sequence, 0)
        return dash - column

    # --- edits ----------------------------------------------------------------------------------------------

    def _add(self, start: int, end: int, lines: list[str]) -> None:
        for first, last, existing in self.edits:
            if start == end == first == last:          # two insertions at one place: in the order made
                existing.extend(lines)
                return
            if start < last and first < end:
                raise Unsupported("two edits on the same lines")
        self.edits.append((start, end, lines))

    def replace(self, mapping, key, value, offset: int = 2) -> None:
        """Give ``key`` a new value, on its own lines (the rest of the file untouched)."""
        start, end, column = self.key_span(mapping, key)
        new = value_lines(str(key), value, column, offset)
        new[0] = self.lines[start][:column] + new[0][column:]      # keeps a leading "- " of a list item
        self._add(start, end, new)

    def delete(self, mapping, key) -> None:
        """Remove ``key`` and its value; a key that opens a list item hands its dash to the next key."""
        start, end, column = self.key_span(mapping, key)
        prefix = self.lines[start][:column]
        if prefix.strip():
            keys = list(mapping)
            following = keys.index(key) + 1
            if following >= len(keys):
                raise Unsupported(f"'{key}' is the only key of its list item")
            start2, end2, column2 = self.key_span(mapping, keys[following])
            if start2 != end or column2 != column:
                raise Unsupported(f"'{key}' is not followed by its sibling")
            self._add(start, end2, [prefix + self.lines[start2][column:]] + self.lines[start2 + 1:end2])
            return
        self._add(start, end, [])

    def insert_after(self, mapping, anchor, key, value, offset: int = 2) -> None:
        """Add ``key: value`` after ``anchor``'s value, at the mapping's indentation."""
        _, end, column = self.key_span(mapping, anchor)
        self.insert_at(end, column, key, value, offset)

    def insert_at(self, line: int, column: int, key, value, offset: int = 2) -> None:
        """Add ``key: value`` before line ``line``, at column ``column``."""
        self._add(line, line, value_lines(str(key), value, column, offset))

    def append_item(self, mapping, key, item: dict) -> None:
        """Add a mapping at the end of the block list under ``key``, in the style of its last item."""
        sequence = mapping[key]
        if not len(sequence):
            raise Unsupported(f"empty list '{key}'")
        _, end, dash = self.item_span(sequence, len(sequence) - 1)
        self._add(end, end, item_lines(item, dash, self.list_offset(mapping, key)))

    def delete_items(self, sequence, first: int) -> None:
        """Remove the items from ``first`` to the end of a block list."""
        start, _, _ = self.item_span(sequence, first)
        _, end, _ = self.item_span(sequence, len(sequence) - 1)
        self._add(start, end, [])

    def apply(self) -> str:
        """The text with every edit made."""
        lines = list(self.lines)
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            lines[start:end] = new
        return "".join(lines)


def same_data(a, b) -> bool:
    """Two loaded documents hold the same data (numbers equal to 12 significant digits)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-11, abs_tol=1e-300)
    return a == b
