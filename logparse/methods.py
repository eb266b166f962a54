"""Map logged OpenNebula request method names to XML-RPC method names.

Up to release 5.2, oned logs the C++ request class's method name (such as
``VirtualMachineSaveDisk`` or ``TemplateInstantiate``) in the ``[<method>]``
prefix of an error message and in ``Req:`` lines. From 5.4 on it logs the
XML-RPC name itself (``one.vm.disksaveas``). The table in
``data/method-names.tsv`` has one row per XML-RPC method and one column per
release (4.8, 4.14, 5.2, >=5.4). A cell is the logged name, ``-`` when the
method does not exist in that release, ``?`` when the name is not known, and
``(same)`` when the logged name is the XML-RPC name.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import re
from collections.abc import Mapping
from importlib import resources

__all__ = ["canonical_method", "logged_names", "method_table"]

logger = logging.getLogger(__name__)

_TABLE_RESOURCE = "data/method-names.tsv"
_MISSING = frozenset({"-", "?", ""})
_SAME = "(same)"
_XMLRPC_NAME = re.compile(r"one(?:\.[a-z0-9_]+){2,3}")


@functools.cache
def method_table() -> Mapping[str, str]:
    """Return the map from every logged method name to its XML-RPC name.

    XML-RPC names map to themselves. A logged name that more than one XML-RPC
    method used is left out, because the message alone cannot tell which one
    failed.
    """
    text = resources.files("logparse").joinpath(_TABLE_RESOURCE).read_text(encoding="utf-8")
    candidates: dict[str, set[str]] = {}
    reader = csv.reader(io.StringIO(text), delimiter="\t")
    header = next(reader)
    for row in reader:
        if not row:
            continue
        xmlrpc, *logged = row
        candidates.setdefault(xmlrpc, set()).add(xmlrpc)
        for cell in logged:
            name = xmlrpc if cell == _SAME else cell
            if name not in _MISSING:
                candidates.setdefault(name, set()).add(xmlrpc)

    table: dict[str, str] = {}
    for name, targets in candidates.items():
        if len(targets) == 1:
            table[name] = next(iter(targets))
        else:
            logger.debug("method name %s is ambiguous: %s", name, sorted(targets))
    logger.debug("loaded %d method names from %s (columns %s)", len(table), _TABLE_RESOURCE, header)
    return table


def canonical_method(name: str | None) -> str | None:
    """Return the XML-RPC name for a logged method name, or None when it is unknown.

    ``VirtualMachineSaveDisk`` gives ``one.vm.savedisk``, ``Datastore`` gives
    ``one.datastore.chown`` and ``one.vm.disksaveas`` stays as it is. A name
    missing from the table is returned unchanged when it has the XML-RPC form
    ``one.<object>.<method>``, so methods added after the table was built still
    map to themselves.
    """
    if not name:
        return None
    name = name.strip()
    known = method_table().get(name)
    if known is not None:
        return known
    if _XMLRPC_NAME.fullmatch(name):
        return name
    return None


def logged_names(xmlrpc: str) -> list[str]:
    """Return every logged name that maps to an XML-RPC method, the XML-RPC name first."""
    names = [name for name, target in method_table().items() if target == xmlrpc]
    return sorted(names, key=lambda name: (name != xmlrpc, name))
