"""YAML loading with limits: document size, nesting depth, alias expansion and integer size.

A data file is text an analyst edits, or receives: a file of a few hundred bytes must not be able to
take the loader down. PyYAML's safe loader already refuses arbitrary objects; the limits here refuse
the rest of the classic attacks, each as a :class:`yaml.YAMLError` with the line (``problem_mark``),
so the reader reports it like any other syntax error:

- a file larger than :data:`MAX_FILE_BYTES`;
- nesting deeper than :data:`MAX_DEPTH` (``[[[[...]]]]`` 5,000 levels deep overflows Python's stack);
- aliases that expand to more than :data:`MAX_EXPANDED_NODES` nodes ("billion laughs": nine
  lines of anchors and aliases that expand to 10^9 strings);
- integers of more than :data:`MAX_INTEGER_DIGITS` digits (no amount has 400 digits; Python refuses
  to read 5,000 digits at all).
"""
from __future__ import annotations

import os

import yaml

from lca.errors import InputError

MAX_FILE_BYTES = 5_000_000
MAX_DEPTH = 50
MAX_EXPANDED_NODES = 200_000
MAX_INTEGER_DIGITS = 30


class LimitError(yaml.YAMLError, InputError):
    """A YAML document over one of the limits; ``problem`` and ``problem_mark`` as PyYAML's own errors."""

    def __init__(self, problem: str, mark=None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark

    def __str__(self) -> str:
        return self.problem


def check_size(path: str | os.PathLike) -> None:
    """Raise :class:`LimitError` when the file at ``path`` is larger than :data:`MAX_FILE_BYTES`."""
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        raise LimitError(f"file of {size:,} bytes; data files may have at most {MAX_FILE_BYTES:,}")


class LimitedSafeLoader(yaml.SafeLoader):
    """:class:`yaml.SafeLoader` with the nesting, alias and integer limits of this module."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}     # id(node) -> node count once expanded

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            self._count(node, event.start_mark)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitError(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._count(node, node.start_mark)
        return node

    def _count(self, node, mark) -> None:
        """Add the expanded size of ``node`` to the document's; a shared (aliased) node counts each time."""
        if id(node) not in self._sizes:
            if isinstance(node, yaml.SequenceNode):
                size = 1 + sum(self._sizes.get(id(child), 1) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                size = 1 + sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
            else:
                size = 1
            self._sizes[id(node)] = size
        if self._sizes[id(node)] > MAX_EXPANDED_NODES:
            raise LimitError(f"aliases expand to more than {MAX_EXPANDED_NODES:,} values (an alias bomb?)", mark)

    def construct_yaml_int(self, node):
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_INTEGER_DIGITS:
            raise LimitError(f"an integer of {digits} digits; numbers may have at most {MAX_INTEGER_DIGITS} "
                             "(write 1.5e30 for large values)", node.start_mark)
        return super().construct_yaml_int(node)


LimitedSafeLoader.add_constructor("tag:yaml.org,2002:int", LimitedSafeLoader.construct_yaml_int)
