"""Tests of the logged-name to XML-RPC-name mapping in logparse.methods."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from logparse.methods import canonical_method, logged_names, method_table


def _table_rows() -> list[list[str]]:
    text = resources.files("logparse").joinpath("data/method-names.tsv").read_text("utf-8")
    return list(csv.reader(text.splitlines(), delimiter="\t"))


@pytest.mark.parametrize(
    ("logged", "xmlrpc"),
    [
        ("VirtualMachineSaveDisk", "one.vm.savedisk"),
        ("VirtualMachineDiskSaveas", "one.vm.disksaveas"),
        ("one.vm.disksaveas", "one.vm.disksaveas"),
        ("TemplateInstantiate", "one.template.instantiate"),
        ("Datastore", "one.datastore.chown"),
        ("VMTemplateClone", "one.template.clone"),
        ("HostEnable", "one.host.enable"),
        ("HostStatus", "one.host.status"),
        ("ImageAllocate", "one.image.allocate"),
        ("VirtualMachineAction", "one.vm.action"),
        ("VirtualNetworkAddAddressRange", "one.vn.add_ar"),
        ("one.vm.chown", "one.vm.chown"),
        (" ImageAllocate ", "one.image.allocate"),
    ],
)
def test_canonical_method_known(logged: str, xmlrpc: str) -> None:
    assert canonical_method(logged) == xmlrpc


@pytest.mark.parametrize("name", ["one.vm.exec", "one.backupjob.retry", "one.vm.diskresize"])
def test_canonical_method_unknown_xmlrpc_form(name: str) -> None:
    assert canonical_method(name) == name


@pytest.mark.parametrize(
    "name", [None, "", "NoSuchRequest", "deploy", "HOST", "one", "one.vm", "ONE.VM.ACTION"]
)
def test_canonical_method_unknown_name(name: str | None) -> None:
    assert canonical_method(name) is None


def test_canonical_method_ambiguous_name() -> None:
    # 5.2 logged both one.marketpool.info and one.marketapppool.info as MarketPlacePoolInfo.
    assert canonical_method("MarketPlacePoolInfo") is None


def test_method_table_columns() -> None:
    assert _table_rows()[0] == ["xmlrpc", "4.8", "4.14", "5.2", ">=5.4"]


def test_method_table_covers_rows() -> None:
    table = method_table()
    for xmlrpc, *logged in _table_rows()[1:]:
        assert table[xmlrpc] == xmlrpc
        for name in logged:
            if name in ("-", "?", "(same)", "MarketPlacePoolInfo"):
                continue
            assert table[name] == xmlrpc, name


def test_logged_names_savedisk() -> None:
    assert logged_names("one.vm.disksaveas") == ["one.vm.disksaveas", "VirtualMachineDiskSaveas"]


def test_logged_names_datastore_chown() -> None:
    assert logged_names("one.datastore.chown") == ["one.datastore.chown", "Datastore"]
