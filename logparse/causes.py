"""Classify OpenNebula failure messages by cause, with the objects and states they name.

The catalog of causes and the ordered rules that give them are data: the
built-in ``data/catalog.toml`` and any user rule files in the same format (see
``docs/rules.md``). ``Classifier.classify`` tries the rules in order and the
first whose pattern is found in the message gives the cause. It fills the
fields from the pattern's named groups and masks the message into a template
for grouping.
"""

from __future__ import annotations

import functools
import html
import logging
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from logparse.errors import RulesError
from logparse.masking import mask
from logparse.methods import canonical_method

__all__ = [
    "CORE_FIELDS",
    "DETAIL_FIELDS",
    "UNKNOWN",
    "Cause",
    "Classification",
    "Classifier",
    "Rule",
    "default_classifier",
    "format_catalog",
    "load_classifier",
    "normalize_object_type",
    "split_method",
]

logger = logging.getLogger(__name__)

UNKNOWN = "unknown"

#: Fields of ``Classification`` that a rule may fill.
CORE_FIELDS = frozenset(
    {"object_type", "object_id", "vm_state", "required_states", "action", "operation"}
)

#: Keys of ``Classification.details`` that a rule may fill.
DETAIL_FIELDS = frozenset(
    {
        "user_id",
        "who",
        "who_id",
        "metric",
        "limit",
        "section",
        "resource_id",
        "denials",
        "vm_id",
        "host_id",
        "host_name",
        "cluster_id",
        "datastore_id",
        "network_id",
        "image_id",
        "disk_id",
        "nic_id",
        "snapshot_id",
        "address_range_id",
        "image_state",
        "image_type",
        "attribute",
        "target",
        "name",
        "reason",
        "count",
        "exit_code",
    }
)

_INTEGER_FIELDS = frozenset(
    {"object_id", "count", "exit_code"} | {name for name in DETAIL_FIELDS if name.endswith("_id")}
)
_NUMBER_FIELDS = frozenset({"limit"})
_UPPER_CASE_FIELDS = frozenset({"vm_state", "metric", "section", "image_state", "image_type"})

# Lower-case object names (Request::object_name() in oned, and the names used
# by "NAME is already taken by ...") mapped to the upper-case type names of
# PoolObjectSQL::type_to_str().
_OBJECT_TYPES = {
    "virtual machine": "VM",
    "vm": "VM",
    "host": "HOST",
    "virtual network": "NET",
    "network": "NET",
    "vnet": "NET",
    "net": "NET",
    "image": "IMAGE",
    "user": "USER",
    "virtual machine template": "TEMPLATE",
    "vm template": "TEMPLATE",
    "template": "TEMPLATE",
    "group": "GROUP",
    "acl": "ACL",
    "datastore": "DATASTORE",
    "system ds": "DATASTORE",
    "cluster": "CLUSTER",
    "document": "DOCUMENT",
    "zone": "ZONE",
    "security group": "SECGROUP",
    "securitygroup": "SECGROUP",
    "secgroup": "SECGROUP",
    "vdc": "VDC",
    "virtual router": "VROUTER",
    "vrouter": "VROUTER",
    "marketplace": "MARKETPLACE",
    "marketplaceapp": "MARKETPLACEAPP",
    "marketplace app": "MARKETPLACEAPP",
    "marketplace appliance": "MARKETPLACEAPP",
    "vm group": "VMGROUP",
    "vmgroup": "VMGROUP",
    "virtual network template": "VNTEMPLATE",
    "vn template": "VNTEMPLATE",
    "vntemplate": "VNTEMPLATE",
    "hook": "HOOK",
    "backup job": "BACKUPJOB",
    "backupjob": "BACKUPJOB",
    "scheduled action": "SCHEDACTION",
}

# The logged method in "[Method] message": an XML-RPC name (one.vm.deploy) or
# a request class name with at least one lower-case letter (VirtualMachineSaveDisk,
# VMTemplateClone, Datastore). Upper-case tags such as [HOST], [DS] and [Z0]
# in scheduler and log lines are not methods.
_METHOD_PREFIX = re.compile(
    r"\[(?P<method>one(?:\.\w{1,64}){1,3}|[A-Z][A-Za-z0-9]{0,63}[a-z][A-Za-z0-9]{0,63})\] ?"
)
# oned.log request result, in front of the message: Req:42 UID:0 one.vm.deploy result FAILURE
_REQUEST_RESULT = re.compile(
    r"Req:\d{1,12} UID:(?:-|\d{1,12}) (?:IP:\S{1,64} )?(?P<method>[\w.]{1,128}) result FAILURE ?"
)
# The error wrapper of the Go bindings (GOCA), as the Terraform provider prints
# it in front of the oned reply: OpenNebula error [INTERNAL]: [one.vn.rm_ar] ...
# The Python bindings (pyone) raise the oned reply as an exception, which logs
# as "pyone.OneAuthorizationException: [one.vm.action] ...".
_CLIENT_WRAPPER = re.compile(
    r"OpenNebula error \[[A-Z_]{1,32}\]: |(?:pyone\.)?One[A-Za-z]{0,40}Exception: "
)
_DENIAL = re.compile(
    r"Not authorized to perform (?P<operation>[A-Z]{1,16}) (?P<object_type>[A-Z_]{1,32})"
    r"(?: \[(?P<object_id>-?\d{1,12})\])?"
)
# The timestamp in front of the VM ERROR and SCHED_MESSAGE attributes:
# "Tue Oct 24 17:35:17 2023: " (6.x) or "Tue Oct 24 17:35:17 2023 : " (4.x to 5.12).
_ATTRIBUTE_TIMESTAMP = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d \d{4} ?: "
)
# Typographic quotes and apostrophes as web pages and issue reports render
# them, and the ellipsis character. Rules see the ASCII forms.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2026": "...",
    }
)
_USER_ID = re.compile(r"\bUser ?\[(?P<user_id>\d{1,12})\]")
_STATE_LIST_SEPARATOR = re.compile(r",\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+")
# States as prose spells them, mapped to the names of VirtualMachine::state_to_str().
_STATE_SPELLINGS = {"POWERED OFF": "POWEROFF", "POWERED-OFF": "POWEROFF"}
# An object and its id anywhere in a message ("host 1", "VM [12]", "Image ID: 7"),
# for messages whose rule names no object.
_OBJECT_MENTION = re.compile(
    r"\b(?P<object_type>(?i:virtual machine|virtual network|security group|virtual router"
    r"|marketplace app|vm|image|template|network|vnet|datastore|host|user|group|cluster"
    r"|document|zone|vdc|vrouter|secgroup))"
    r"(?i: ?\[| #| (?:with )?id:? ?| )(?P<object_id>\d{1,12})(?![\w.])"
)
_GROUP_SUFFIX = re.compile(r"__\d+$")
_ARTICLE = re.compile(r"^(?:a|an|the) ")
# A VM's directory in a system datastore, /var/lib/one/datastores/<ds>/<vm>,
# which driver commands take as an argument.
_VM_DIRECTORY = re.compile(r"/datastores/\d{1,12}/(?P<vm_id>\d{1,12})(?![\w.-])")
_CAUSE_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")

_CAUSE_KEYS = frozenset({"id", "description", "example", "hint"})
_RULE_KEYS = frozenset(
    {"id", "cause", "pattern", "fields", "operations", "examples", "description"}
)
_FILE_KEYS = frozenset({"cause", "rule"})

#: Default bound of the per-classifier cache of distinct (method, message) pairs.
CACHE_SIZE = 1 << 16

#: Rules and masking see at most this many characters of a message.
# NOTE: a longer message (a driver dump, or hostile input) is classified and
# masked on its first 64 KiB only, so its template ends with TRUNCATED.
MAX_MESSAGE_LENGTH = 1 << 16
TRUNCATED = " <TRUNCATED>"


@dataclass(frozen=True, slots=True)
class Classification:
    """The cause of one message and the fields extracted from it.

    Attributes:
        cause: the catalog id, ``unknown`` when no rule matches.
        object_type, object_id: the object the message names, such as IMAGE 265,
            with the upper-case OpenNebula type name.
        vm_state: the state the message gives for the VM, upper-case.
        required_states: the states the message lists as allowed, in message order.
        operation: the XML-RPC name of the logged method, such as ``one.vm.savedisk``.
        action: the VM action the message names, lower-case, such as ``resume``.
        template: the message with its variable parts masked; set for every message.
        details: fields specific to the cause: ``who``, ``who_id``, ``metric``,
            ``limit``, ``section``, ``resource_id`` for quotas, ``denials`` (a list
            of ``{"operation", "object_type", "object_id"}``) for permissions,
            ``user_id`` wherever ``User [<id>]`` appears, and others listed in
            ``DETAIL_FIELDS``. Results are cached and shared, so callers must not
            change this mapping.
    """

    cause: str
    object_type: str | None = None
    object_id: int | None = None
    vm_state: str | None = None
    required_states: tuple[str, ...] = ()
    operation: str | None = None
    action: str | None = None
    template: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Cause:
    """One entry of the catalog, as ``logparse causes`` lists it."""

    id: str
    description: str
    example: str
    hint: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A pattern that gives a cause, with the constant fields it sets.

    Attributes:
        id: unique name of the rule. A user rule with the same id replaces it.
        cause: the cause id the rule gives.
        pattern: compiled regular expression, searched anywhere in the message.
        fields: constant fields set on a match, before the named groups.
        operations: XML-RPC names the rule is limited to, or empty for every method.
        examples: messages the rule is expected to classify.
        source: the rule file the rule came from.
    """

    id: str
    cause: str
    pattern: re.Pattern[str]
    fields: Mapping[str, Any] = field(default_factory=dict, hash=False)
    operations: frozenset[str] = frozenset()
    examples: tuple[str, ...] = ()
    source: str = "<builtin>"

    def applies_to(self, operation: str | None) -> bool:
        return not self.operations or operation in self.operations


def split_method(content: str) -> tuple[str | None, str]:
    """Split a message into its logged method and the text after the ``[Method]`` prefix.

    ``[VirtualMachineSaveDisk] Error allocating ...`` gives
    ``("VirtualMachineSaveDisk", "Error allocating ...")``. An oned.log result
    prefix ``Req:<id> UID:<uid> <method> result FAILURE`` is removed as well and
    gives the method when the message has no bracketed one. So are the Go
    bindings' wrapper ``OpenNebula error [<CODE>]: `` and the exception name of
    pyone (``pyone.OneAuthorizationException: ``) in front of a bracketed
    method. A message without a prefix gives ``(None, content)`` with only its
    outer white space removed.
    """
    text = content.strip()
    method: str | None = None

    result = _REQUEST_RESULT.match(text)
    if result:
        method = result.group("method")
        text = text[result.end() :]

    wrapper = _CLIENT_WRAPPER.match(text)
    if wrapper and _METHOD_PREFIX.match(text, wrapper.end()):
        text = text[wrapper.end() :]

    prefix = _METHOD_PREFIX.match(text)
    if prefix:
        method = prefix.group("method")
        text = text[prefix.end() :]
    return method, text


def normalize_object_type(name: str) -> str:
    """Return the upper-case OpenNebula type name for an object name in a message.

    ``virtual network`` gives ``NET``, ``virtual machine template`` gives
    ``TEMPLATE`` and ``Zone`` gives ``ZONE``. An unknown name is upper-cased
    with spaces turned into ``_``.
    """
    key = " ".join(name.split()).lower()
    # Client rewordings put an article in front: "Error getting a virtual machine".
    key = _ARTICLE.sub("", key)
    known = _OBJECT_TYPES.get(key)
    if known is None and key.endswith("s"):
        # Paraphrases use the plural: "templates not found", "2 images".
        known = _OBJECT_TYPES.get(key[:-1])
    if known is not None:
        return known
    return key.upper().replace(" ", "_")


def _parse_denials(text: str) -> list[dict[str, Any]]:
    denials = []
    for match in _DENIAL.finditer(text):
        object_id = match.group("object_id")
        denials.append(
            {
                "operation": match.group("operation"),
                "object_type": normalize_object_type(match.group("object_type")),
                "object_id": int(object_id) if object_id is not None else None,
            }
        )
    return denials


def _parse_states(text: str) -> tuple[str, ...]:
    states = (" ".join(part.split()).upper() for part in _STATE_LIST_SEPARATOR.split(text))
    return tuple(_STATE_SPELLINGS.get(state, state) for state in states if state)


def _convert(name: str, value: Any) -> Any:
    """Convert a group's text or a constant to the type of field ``name``."""
    if name == "object_type":
        return normalize_object_type(str(value))
    if name == "required_states":
        if isinstance(value, str):
            return _parse_states(value)
        return tuple(str(state).upper() for state in value)
    if name == "denials":
        return _parse_denials(value) if isinstance(value, str) else list(value)
    if name == "action":
        return " ".join(str(value).split()).lower()
    if name == "operation":
        return canonical_method(str(value)) or str(value)
    if name == "who":
        return str(value).lower()
    if name in _INTEGER_FIELDS:
        return int(value)
    if name in _NUMBER_FIELDS:
        number = float(value)
        # "nan" and "inf" parse as floats but are no limit, and JSON has no token for them.
        if not math.isfinite(number):
            raise ValueError(f"{value!r} is not a finite number")
        return int(number) if number.is_integer() else number
    if name in _UPPER_CASE_FIELDS:
        return str(value).upper()
    return value


class Classifier:
    """Ordered rule table, in which the first matching rule wins.

    Specific rules come before the rules for the messages that wrap them.

    Results are cached by distinct ``(method, message)`` text, so a log with a
    million records and a thousand distinct messages runs the rules a thousand
    times. ``rule_evaluations`` counts the rule patterns tried so far.
    """

    def __init__(
        self,
        rules: Sequence[Rule],
        causes: Mapping[str, Cause],
        *,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self._rules = tuple(rules)
        self._causes = dict(causes)
        if UNKNOWN not in self._causes:
            self._causes[UNKNOWN] = Cause(
                UNKNOWN, "No rule of the catalog matches the message.", "", ""
            )
        for rule in self._rules:
            if rule.cause not in self._causes:
                raise RulesError(
                    f'{rule.source}: rule "{rule.id}": field "cause": unknown cause "{rule.cause}"'
                )
        self.rule_evaluations = 0
        self._classify_text = functools.lru_cache(maxsize=cache_size)(self._classify_uncached)

    @classmethod
    def from_files(cls, *paths: str | os.PathLike[str], builtin: bool = True) -> Classifier:
        """Build a classifier from rule files, on top of the built-in catalog by default.

        A cause or rule whose id is already loaded replaces the earlier one, and
        a replaced rule keeps its place. New rules of the user files go before
        every built-in rule, in file order, so they take precedence.

        Raises:
            RulesError: a file cannot be read, is not valid TOML, or has an
                invalid entry. The message names the file, the rule and the field.
        """
        catalog = _RuleSet()
        if builtin:
            text = resources.files("logparse").joinpath(_BUILTIN_RESOURCE).read_text("utf-8")
            catalog.add(_parse_rule_file(text, "catalog.toml"), user=False)
        for path in paths:
            name = os.fspath(path)
            try:
                with open(path, encoding="utf-8") as file:
                    text = file.read()
            except OSError as error:
                raise RulesError(f"{name}: cannot read rule file: {error.strerror}") from error
            except UnicodeDecodeError as error:
                raise RulesError(f"{name}: rule file is not valid UTF-8: {error}") from error
            catalog.add(_parse_rule_file(text, name), user=True)
        return catalog.build()

    @property
    def causes(self) -> list[Cause]:
        """The causes of the catalog, in definition order."""
        return list(self._causes.values())

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules in the order they are tried."""
        return self._rules

    def cause(self, cause_id: str) -> Cause:
        """Return the catalog entry for a cause id, or raise KeyError."""
        try:
            return self._causes[cause_id]
        except KeyError:
            raise KeyError(f"unknown cause id {cause_id!r}") from None

    def hint(self, cause_id: str) -> str:
        """Return the operator hint for a cause id, or "" for an id not in the catalog."""
        cause = self._causes.get(cause_id)
        return cause.hint if cause is not None else ""

    def classify(self, message: str, method: str | None = None) -> Classification:
        """Classify one message.

        ``message`` is the text after the ``[Method] `` prefix and ``method`` the
        logged method name. When ``method`` is None, a prefix still in
        ``message`` is split off with ``split_method``.
        """
        if method is None:
            method, message = split_method(message)
        elif message.startswith(f"[{method}]"):
            message = message[len(method) + 2 :].lstrip()
        return self._classify_text(method, message)

    def cache_info(self) -> functools._CacheInfo:
        """Return the hits, misses and size of the classification cache."""
        return self._classify_text.cache_info()

    def cache_clear(self) -> None:
        self._classify_text.cache_clear()

    def _classify_uncached(self, method: str | None, message: str) -> Classification:
        # Folding a hostile message costs time in proportion to its length, so
        # only a bounded prefix is folded and matched.
        text = " ".join(message[: 2 * MAX_MESSAGE_LENGTH].split())
        if "&" in text:
            # Web captures can keep the HTML escaping of the popup (&quot;resume&quot;).
            text = html.unescape(text)
        text = text.translate(_TYPOGRAPHIC)
        operation = canonical_method(method)
        truncated = len(text) > MAX_MESSAGE_LENGTH or len(message) > 2 * MAX_MESSAGE_LENGTH
        if truncated:
            text = text[:MAX_MESSAGE_LENGTH]
        timestamp = _ATTRIBUTE_TIMESTAMP.match(text)
        body = text[timestamp.end() :] if timestamp else text

        for rule in self._rules:
            if not rule.applies_to(operation):
                continue
            self.rule_evaluations += 1
            match = rule.pattern.search(body)
            if match is not None:
                logger.debug("rule %s matched %r", rule.id, body[:200])
                return _build(rule.cause, rule, match, operation, text, truncated)
        return _build(UNKNOWN, None, None, operation, text, truncated)


def _build(
    cause: str,
    rule: Rule | None,
    match: re.Match[str] | None,
    operation: str | None,
    text: str,
    truncated: bool = False,
) -> Classification:
    values: dict[str, Any] = {}
    if match is not None:
        # The first group of a field that took part in the match fills it, so a
        # quoted action in front of a verb wins over the verb.
        for group, value in match.groupdict().items():
            name = _GROUP_SUFFIX.sub("", group)
            if value is not None and name not in values:
                try:
                    values[name] = _convert(name, value)
                except ValueError:
                    # A user rule may capture text that is not a number, such as
                    # (?P<object_id>[a-z]+): the field stays empty.
                    values[name] = None
    if rule is not None:
        for name, constant in rule.fields.items():
            values.setdefault(name, constant)

    if "operation" not in values and operation is not None:
        values["operation"] = operation
    denials = values.get("denials")
    if denials and "object_type" not in values:
        values["object_type"] = denials[0]["object_type"]
        if denials[0]["object_id"] is not None:
            values["object_id"] = denials[0]["object_id"]
    if "object_type" not in values:
        directory = _VM_DIRECTORY.search(text)
        mention = _OBJECT_MENTION.search(text) if directory is None else None
        if directory is not None:
            values["object_type"] = "VM"
            values["object_id"] = int(directory.group("vm_id"))
        elif mention is not None:
            values["object_type"] = normalize_object_type(mention.group("object_type"))
            values["object_id"] = int(mention.group("object_id"))
    elif values.get("object_id") is None:
        # A rule that sets only the type takes the id from the first mention of that type.
        for mention in _OBJECT_MENTION.finditer(text):
            if normalize_object_type(mention.group("object_type")) == values["object_type"]:
                values["object_id"] = int(mention.group("object_id"))
                break
    if "user_id" not in values:
        user = _USER_ID.search(text)
        if user is not None:
            values["user_id"] = int(user.group("user_id"))

    core = {name: values.pop(name) for name in CORE_FIELDS if name in values}
    if "required_states" in core:
        core["required_states"] = tuple(core["required_states"])
    template = mask(text) + TRUNCATED if truncated else mask(text)
    return Classification(cause=cause, template=template, details=values, **core)


# ---------------------------------------------------------------------------
# Rule files

_BUILTIN_RESOURCE = "data/catalog.toml"


class _RuleSet:
    """Causes and rules gathered from several rule files, before validation."""

    def __init__(self) -> None:
        self.causes: dict[str, Cause] = {}
        self.builtin_rules: list[Rule] = []
        self.user_rules: list[Rule] = []

    def add(self, parsed: tuple[list[Cause], list[Rule]], *, user: bool) -> None:
        causes, rules = parsed
        for cause in causes:
            self.causes[cause.id] = cause
        for rule in rules:
            if self._replace(rule):
                continue
            (self.user_rules if user else self.builtin_rules).append(rule)

    def _replace(self, rule: Rule) -> bool:
        for rules in (self.user_rules, self.builtin_rules):
            for index, existing in enumerate(rules):
                if existing.id == rule.id:
                    rules[index] = rule
                    return True
        return False

    def build(self) -> Classifier:
        rules = self.user_rules + self.builtin_rules
        for rule in rules:
            if rule.cause != UNKNOWN and rule.cause not in self.causes:
                known = ", ".join(sorted(self.causes))
                raise RulesError(
                    f'{rule.source}: rule "{rule.id}": field "cause": unknown cause '
                    f'"{rule.cause}"; define it in a [[cause]] table or use one of: {known}'
                )
        return Classifier(rules, self.causes)


def _parse_rule_file(text: str, source: str) -> tuple[list[Cause], list[Rule]]:
    # Editors on Windows often save a byte order mark, which TOML does not allow.
    text = text.removeprefix("\ufeff")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{source}: invalid TOML: {error}") from error

    unknown = sorted(set(document) - _FILE_KEYS)
    if unknown:
        raise RulesError(
            f'{source}: unknown key "{unknown[0]}"; a rule file has only '
            f"[[cause]] and [[rule]] tables"
        )
    causes = [
        _parse_cause(entry, source, index)
        for index, entry in enumerate(_tables(document, "cause", source), 1)
    ]
    rules = [
        _parse_rule(entry, source, index)
        for index, entry in enumerate(_tables(document, "rule", source), 1)
    ]
    _check_unique((cause.id for cause in causes), "cause", source)
    _check_unique((rule.id for rule in rules), "rule", source)
    return causes, rules


def _tables(document: Mapping[str, Any], key: str, source: str) -> list[Mapping[str, Any]]:
    entries = document.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise RulesError(f'{source}: "{key}" must be an array of tables, written [[{key}]]')
    return entries


def _check_unique(ids: Iterable[str], kind: str, source: str) -> None:
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            raise RulesError(f'{source}: {kind} "{entry_id}": duplicate id in the same file')
        seen.add(entry_id)


def _entry_name(entry: Mapping[str, Any], kind: str, index: int) -> str:
    entry_id = entry.get("id")
    if isinstance(entry_id, str) and entry_id:
        return f'{kind} "{entry_id}"'
    return f"{kind} #{index}"


def _string(
    entry: Mapping[str, Any], key: str, where: str, *, required: bool, default: str = ""
) -> str:
    if key not in entry:
        if required:
            raise RulesError(f'{where}: field "{key}" is missing')
        return default
    value = entry[key]
    if not isinstance(value, str) or (required and not value.strip()):
        raise RulesError(f'{where}: field "{key}" must be a non-empty string')
    return value


def _check_keys(entry: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise RulesError(
            f'{where}: unknown field "{unknown[0]}"; expected one of: {", ".join(sorted(allowed))}'
        )


def _parse_cause(entry: Mapping[str, Any], source: str, index: int) -> Cause:
    where = f"{source}: {_entry_name(entry, 'cause', index)}"
    _check_keys(entry, _CAUSE_KEYS, where)
    cause_id = _string(entry, "id", where, required=True)
    if not _CAUSE_ID.fullmatch(cause_id):
        raise RulesError(
            f'{where}: field "id" must be lower-case letters, digits and "_", '
            f"starting with a letter"
        )
    return Cause(
        id=cause_id,
        description=_string(entry, "description", where, required=True),
        example=_string(entry, "example", where, required=False),
        hint=_string(entry, "hint", where, required=True),
    )


def _parse_rule(entry: Mapping[str, Any], source: str, index: int) -> Rule:
    where = f"{source}: {_entry_name(entry, 'rule', index)}"
    _check_keys(entry, _RULE_KEYS, where)
    rule_id = _string(entry, "id", where, required=True)
    cause = _string(entry, "cause", where, required=True)
    _string(entry, "description", where, required=False)
    pattern = _compile_pattern(_string(entry, "pattern", where, required=True), where)
    return Rule(
        id=rule_id,
        cause=cause,
        pattern=pattern,
        fields=_parse_fields(entry.get("fields", {}), where),
        operations=frozenset(_string_list(entry, "operations", where)),
        examples=tuple(_string_list(entry, "examples", where)),
        source=source,
    )


def _compile_pattern(text: str, where: str) -> re.Pattern[str]:
    # NOTE: nothing checks that a user pattern runs in linear time. The built-in
    # patterns are checked by tests on hostile input.
    try:
        pattern = re.compile(text)
    except re.error as error:
        raise RulesError(
            f'{where}: field "pattern" is not a valid regular expression: {error}'
        ) from error
    for group in pattern.groupindex:
        name = _GROUP_SUFFIX.sub("", group)
        if name not in CORE_FIELDS and name not in DETAIL_FIELDS:
            raise RulesError(
                f'{where}: field "pattern": group "{group}" does not name a known field; '
                f"use one of: {', '.join(sorted(CORE_FIELDS | DETAIL_FIELDS))}"
            )
    return pattern


def _string_list(entry: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RulesError(f'{where}: field "{key}" must be an array of strings')
    return value


def _parse_fields(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RulesError(
            f'{where}: field "fields" must be a table, such as {{ object_type = "NET" }}'
        )
    fields: dict[str, Any] = {}
    for name, constant in value.items():
        if name not in CORE_FIELDS and name not in DETAIL_FIELDS:
            raise RulesError(
                f'{where}: field "fields": key "{name}" does not name a known field; '
                f"use one of: {', '.join(sorted(CORE_FIELDS | DETAIL_FIELDS))}"
            )
        # TOML booleans are Python ints, so they are ruled out by name.
        if name in ("required_states", "denials"):
            expected = "an array of strings"
            valid = isinstance(constant, list) and all(isinstance(item, str) for item in constant)
        elif name in _INTEGER_FIELDS:
            expected = "an integer"
            valid = isinstance(constant, int) and not isinstance(constant, bool)
        elif name in _NUMBER_FIELDS:
            expected = "a number"
            valid = isinstance(constant, int | float) and not isinstance(constant, bool)
        else:
            expected, valid = "a string", isinstance(constant, str)
        if not valid:
            raise RulesError(f'{where}: field "fields": key "{name}" must be {expected}')
        try:
            fields[name] = _convert(name, constant)
        except (TypeError, ValueError) as error:
            raise RulesError(
                f'{where}: field "fields": key "{name}" has an invalid value {constant!r}: {error}'
            ) from error
    return fields


# ---------------------------------------------------------------------------
# Entry points


@functools.cache
def default_classifier() -> Classifier:
    """Return the classifier of the built-in catalog, built once per process."""
    return Classifier.from_files()


def load_classifier(
    rules: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | Classifier | None,
) -> Classifier:
    """Return a classifier for a ``rules`` argument: None, a file, several files or a classifier.

    None gives the built-in catalog. Rule files extend and override it.
    """
    if rules is None:
        return default_classifier()
    if isinstance(rules, Classifier):
        return rules
    if isinstance(rules, str | os.PathLike):
        return Classifier.from_files(rules)
    return Classifier.from_files(*rules)


def format_catalog(classifier: Classifier | None = None) -> list[dict[str, str]]:
    """Return the catalog as a list of ``{"id", "description", "example", "hint"}`` rows."""
    classifier = classifier or default_classifier()
    return [
        {
            "id": cause.id,
            "description": cause.description,
            "example": cause.example,
            "hint": cause.hint,
        }
        for cause in classifier.causes
    ]
