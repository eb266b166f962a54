"""Compare logparse masking with Drain3 template mining on OpenNebula messages.

Usage:
    python benchmarks/bench_masking.py [--variants N] [--seed S]

Drain3 is optional: install it (``pip install drain3``) to include it in the
comparison. The messages are generated from OpenNebula message shapes. Every
part that varies between occurrences of one shape (ids, object names, states,
host names, paths, driver output) is filled with a value drawn at random, so
the true template of every message is known. The script prints,
for each method, the number of templates it found, its speed and its group
accuracy (as in ``benchmarks/accuracy.py``) against two ground truths:

- shape: one template per shape, whatever fills its parts;
- keyword: one template per shape and combination of domain keywords (object
  type, state, verb, metric, driver output...), so that only identifiers, such
  as ids, names, hosts, paths and times, vary within a template.
"""

from __future__ import annotations

import argparse
import platform
import random
import string
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from accuracy import group_accuracy  # noqa: E402

from logparse.masking import mask  # noqa: E402

OBJECTS = ["virtual machine", "image", "virtual network", "host", "datastore", "security group"]
TYPES = ["VM", "IMAGE", "NET", "HOST", "DATASTORE", "TEMPLATE", "CLUSTER", "USER"]
STATES = ["RUNNING", "POWEROFF", "PENDING", "HOTPLUG", "PROLOG", "SUSPENDED", "BOOT_FAILURE"]
IMAGE_STATES = ["LOCKED", "ERROR", "DISABLED", "USED_PERS"]
VERBS = ["deploy", "migrate", "shutdown", "undeploy", "power off", "hold", "stop", "resume"]
ACTIONS = ["resume", "poweroff", "terminate-hard", "undeploy", "stop", "reboot"]
VM_METRICS = ["VMS", "CPU", "MEMORY", "RUNNING_VMS", "SYSTEM_DISK_SIZE"]
DS_METRICS = ["SIZE", "IMAGES"]
HOSTS = ["node1", "kvm-07.example.org", "compute12", "alpha", "hv-b.dc2.local", "10.0.1.15"]
NAMES = ["ubuntu-22.04", "base-os", "centos7", "web", "db-data", "win2019"]
ATTRIBUTES = ["DISK/SOURCE", "NIC/MAC", "OS/KERNEL", "CONTEXT/FILES"]
IMAGE_TYPES = ["KERNEL", "RAMDISK", "CONTEXT"]
OPERATIONS = ["USE", "MANAGE", "ADMIN", "CREATE"]
TM_DRIVERS = ["ssh", "shared", "qcow2", "ceph", "fs_lvm"]
TM_ACTIONS = ["clone", "ln", "mv", "mvds", "cpds", "delete"]
LCM_ACTIONS = ["prolog_failure", "deploy_success", "epilog_success", "attach_failure"]
EXPRESSIONS = ['HYPERVISOR="kvm"', "CPU > 8", 'ID="3" | CLUSTER_ID="100"', "CLUSTER_ID = 101"]
DRIVER_OUTPUT = [
    "Error copying disk directory to target host",
    "cp: cannot stat '/var/lib/one/datastores/1/9d0e': No such file or directory",
    "ssh: connect to host node3 port 22: No route to host",
    "Host key verification failed.",
    "-",
    "Connection refused",
]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# Shapes in the notation of the OpenNebula message catalog: each {name} is a
# part that differs between two occurrences of the same shape.
SHAPES = [
    "Error getting {obj} [{id}].",
    "User [{uid}] not authorized to perform action on {obj}.",
    "User [{uid}] : Not authorized to perform {op} {OBJ} [{id}].",
    "User couldn't be authenticated, aborting call.",
    "Error allocating a new image. NAME is already taken by IMAGE {id}.",
    "Error allocating a new virtual machine. Cannot get IP/MAC lease from virtual network {id}.",
    "The resource {obj} is locked. [{id}].",
    "User [{uid}] : {OBJ} is locked. [{id}].",
    "user [{uid}] limit of {limit} reached for {vm_metric} quota in VM",
    "group [{uid}] limit of {limit} reached for {ds_metric} quota in DATASTORE with ID: {id}",
    "VM has to be RUNNING, POWEROFF or SUSPENDED to save disks.",
    "Cannot use selected DISK. The DISK {n} does not exist for VM {id}.",
    "Not enough space in datastore",
    'Error performing action "{action}": This action is not available for state {state}',
    "Could not {verb} VM {id}, wrong state {state}.",
    "Could not create a new snapshot for VM {id}, wrong state {state}.",
    'Wrong state to perform action "{action}"',
    "host {id} does not have enough capacity.",
    "virtual machine [{id}] does not fit in host [{id2}]. Not enough CPU: {n}/{m}",
    "datastore [{id}] and host [{id2}] are not in the same cluster [{id3}].",
    "Missing clusters. Datastore for DISK {n} is not in any cluster",
    "Cannot acquire image {id}, it is in state: {image_state}",
    "Image {id} ({name}) of type {image_type} cannot be used as DISK.",
    "User {uid} does not own an image with name: {name} . Set IMAGE_UNAME or IMAGE_UID of "
    "owner in DISK.",
    "Cannot delete image. There are {n} VMs using it.",
    "No host meets SCHED_REQUIREMENTS: {expr}",
    "{ctime}: Cannot dispatch VM to any Host. Possible reasons: Not enough capacity in Host or "
    "System DS, dispatch limit reached, or limit of free leases reached.",
    "[HOST] Not enough CPU on hosts: {ids}",
    "VM {id}: Host {id2} filtered out. Not enough capacity.",
    "Error executing image transfer script: {driver}",
    "Error deploying virtual machine: Could not create domain from {path}",
    "Command execution failed (exit code: {rc}): /var/lib/one/remotes/tm/{tm_driver}/{tm_action} "
    "{host}:{path} {host2}:{path2} {id} {n}",
    "Error monitoring Host {host} ({id}): {driver}",
    "Error replicating log entry {id}: {driver}",
    "{lcm_action}_action, VM in a wrong state",
    "Not enough free addresses in address range {n}, or it does not exist",
    "VM {id}: Image Datastore {id2} does not have enough free storage.",
    "User [{uid}] : VM Template includes a restricted attribute {attribute}.",
    "Not enough capacity. Requested: {mb} MB, Available: {mb2} MB",
    "{ctime} : Error monitoring Host {host} ({id}):",
    "Cannot dispatch VM: No host meets capacity and SCHED_REQUIREMENTS: {expr}",
    "Error copying image in the datastore: Not allowed to copy images from {path}",
]


def _ctime(rng: random.Random) -> str:
    return (
        f"{rng.choice(DAYS)} {rng.choice(MONTHS)} {rng.randint(1, 28):>2} "
        f"{rng.randint(0, 23):02}:{rng.randint(0, 59):02}:{rng.randint(0, 59):02} "
        f"{rng.randint(2014, 2026)}"
    )


def _path(rng: random.Random) -> str:
    leaf = "".join(rng.choices(string.hexdigits.lower(), k=8))
    return f"/var/lib/one//datastores/{rng.randint(0, 110)}/{rng.randint(0, 900)}/{leaf}"


# Parts whose value is a domain keyword rather than an identifier.
KEYWORD_PARTS = frozenset(
    {
        "obj",
        "OBJ",
        "state",
        "image_state",
        "verb",
        "vm_metric",
        "ds_metric",
        "attribute",
        "image_type",
        "op",
        "tm_driver",
        "tm_action",
        "lcm_action",
        "expr",
        "driver",
    }
)

FILLERS: dict[str, Callable[[random.Random], str]] = {
    "id": lambda rng: str(rng.randint(0, 5000)),
    "id2": lambda rng: str(rng.randint(0, 200)),
    "id3": lambda rng: str(rng.randint(0, 200)),
    "uid": lambda rng: str(rng.randint(0, 60)),
    "n": lambda rng: str(rng.randint(0, 9)),
    "m": lambda rng: str(rng.randint(0, 9)),
    "rc": lambda rng: str(rng.choice([1, 2, 127, 255])),
    "mb": lambda rng: str(rng.choice([512, 1024, 10240])),
    "mb2": lambda rng: str(rng.choice([0, 256, 2048])),
    "limit": lambda rng: rng.choice(["1", "4", "8192", "2.5", "51200"]),
    "ids": lambda rng: " ".join(str(rng.randint(0, 20)) for _ in range(rng.randint(1, 4))),
    "obj": lambda rng: rng.choice(OBJECTS),
    "OBJ": lambda rng: rng.choice(TYPES),
    "state": lambda rng: rng.choice(STATES),
    "image_state": lambda rng: rng.choice(IMAGE_STATES),
    "verb": lambda rng: rng.choice(VERBS),
    "action": lambda rng: rng.choice(ACTIONS),
    "vm_metric": lambda rng: rng.choice(VM_METRICS),
    "ds_metric": lambda rng: rng.choice(DS_METRICS),
    "host": lambda rng: rng.choice(HOSTS),
    "host2": lambda rng: rng.choice(HOSTS),
    "name": lambda rng: rng.choice(NAMES),
    "attribute": lambda rng: rng.choice(ATTRIBUTES),
    "image_type": lambda rng: rng.choice(IMAGE_TYPES),
    "op": lambda rng: rng.choice(OPERATIONS),
    "tm_driver": lambda rng: rng.choice(TM_DRIVERS),
    "tm_action": lambda rng: rng.choice(TM_ACTIONS),
    "lcm_action": lambda rng: rng.choice(LCM_ACTIONS),
    "expr": lambda rng: rng.choice(EXPRESSIONS),
    "driver": lambda rng: rng.choice(DRIVER_OUTPUT),
    "ctime": _ctime,
    "path": _path,
    "path2": _path,
}


def generate(variants: int, seed: int) -> tuple[list[str], list[str], list[str]]:
    """Return ``variants`` messages per shape, shuffled, with their shape and keyword truths."""
    rng = random.Random(seed)
    rows = []
    for shape in SHAPES:
        names = [name for _, name, _, _ in string.Formatter().parse(shape) if name]
        for _ in range(variants):
            values = {name: FILLERS[name](rng) for name in names}
            keywords = sorted(
                (name, value) for name, value in values.items() if name in KEYWORD_PARTS
            )
            rows.append((shape.format(**values), shape, f"{shape} {keywords}"))
    rng.shuffle(rows)
    return [row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows]


def run_masking(messages: Iterable[str]) -> list[str]:
    return [mask(message) for message in messages]


def _drain_miner(masking: bool) -> object:
    from drain3 import TemplateMiner
    from drain3.masking import MaskingInstruction
    from drain3.template_miner_config import TemplateMinerConfig

    config = TemplateMinerConfig()
    if masking:
        # A generic masking list written for this benchmark: IPv4, 0x hex, numbers.
        config.masking_instructions = [
            MaskingInstruction(
                r"((?<=[^A-Za-z0-9])|^)(\d{1,3}(\.\d{1,3}){3})((?=[^A-Za-z0-9])|$)", "IP"
            ),
            MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)(0x[a-fA-F0-9]+)((?=[^A-Za-z0-9])|$)", "HEX"),
            MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
        ]
    return TemplateMiner(config=config)


def run_drain(messages: Iterable[str], masking: bool = False, premask: bool = False) -> list[str]:
    miner = _drain_miner(masking)
    groups = []
    for message in messages:
        text = mask(message) if premask else message
        groups.append(str(miner.add_log_message(text)["cluster_id"]))
    return groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=200, help="messages per shape")
    parser.add_argument("--seed", type=int, default=4, help="random seed")
    options = parser.parse_args(argv)

    messages, shapes, keywords = generate(options.variants, options.seed)
    methods: list[tuple[str, Callable[[list[str]], list[str]]]] = [
        ("logparse masking", run_masking),
    ]
    try:
        import drain3  # noqa: F401
    except ImportError:
        print("drain3 is not installed: only logparse masking is measured", file=sys.stderr)
    else:
        methods += [
            ("Drain3, no masking", lambda items: run_drain(items)),
            ("Drain3, generic masking", lambda items: run_drain(items, masking=True)),
            ("Drain3 on logparse masking", lambda items: run_drain(items, premask=True)),
        ]

    print(
        f"{len(messages)} messages; {len(SHAPES)} shapes, {len(set(keywords))} keyword templates; "
        f"Python {platform.python_version()} on {platform.machine()}"
    )
    print(f"{'method':<28} {'templates':>9} {'messages/s':>11} {'GA shape':>9} {'GA keyword':>10}")
    for name, method in methods:
        start = time.perf_counter()
        groups = method(messages)
        elapsed = time.perf_counter() - start
        print(
            f"{name:<28} {len(set(groups)):>9} {len(messages) / elapsed:>11.0f} "
            f"{group_accuracy(shapes, groups):>9.3f} {group_accuracy(keywords, groups):>10.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
