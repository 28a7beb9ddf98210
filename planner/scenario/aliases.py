"""Refuse YAML whose aliases expand it far beyond what is written (a "billion laughs" file:
`a: &a [x, x, ...]`, `b: &b [*a, *a, ...]` nested a few levels). The loaders share an alias's
list rather than copy it, but everything after them (the line index, the schema, the
planner) walks the values as written out, and a file of a kilobyte would grind for minutes
and take gigabytes before failing. The expansion is counted on the node tree, each node
once, before anything walks it."""
from __future__ import annotations

from typing import Optional

import yaml

from .errors import Problem

# Values (scalars, lists, mappings) that aliases may add to a file beyond those written in it:
# an anchor reused for every unit's days off or a village's defaults adds thousands at most.
MAX_ALIAS_VALUES = 1_000_000


def alias_expansion_problem(text: str, source: str,
                            limit: Optional[int] = None) -> Optional[Problem]:
    """A problem located at the anchor (`&name`) of the largest reused value where aliases
    (`*name`) make the document more than `limit` values larger than written; else None (also
    for text the YAML reader refuses, which the caller reports with its own message)."""
    limit = MAX_ALIAS_VALUES if limit is None else limit
    if "*" not in text or "&" not in text:  # no alias, nothing to expand
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    if root is None:
        return None
    expanded: dict[int, int] = {}  # id(node) -> values under it with aliases written out
    reused: dict[int, yaml.Node] = {}  # nodes met more than once (an anchor's aliases)
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:  # iterative post-order: a 10,000-deep list is the reader's to refuse
        node, children_done = stack.pop()
        key = id(node)
        if not children_done:
            if key in expanded:
                reused[key] = node
                continue
            expanded[key] = 0  # placeholder: counted below once its children are
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))
        else:
            expanded[key] = 1 + sum(expanded[id(child)] for child in _children(node))
    extra = expanded[id(root)] - len(expanded)
    if extra <= limit:
        return None
    worst = max(reused.values(), key=lambda n: expanded[id(n)])
    return Problem(source, worst.start_mark.line + 1, "(yaml)", (
        f"not valid here: aliases (*name) repeat the value anchored on this line so often that "
        f"the file would hold {expanded[id(root)]:,} values, more than {limit:,} beyond "
        "those written out; write the values out, or reuse fewer of them"))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
