"""Locking a worker process down before it touches a caller's request: no network, bounded memory.

`isolate` runs first in every worker. Without network (the default: the SERVICE/LOAD allowlist is empty) the
worker moves into a network namespace of its own, where no interface is up: no SERVICE, LOAD, JSON-LD context
or other fetch can reach any host, whatever a parser missed. This needs root or unprivileged user namespaces;
where neither is allowed the worker runs with the network of the server and says so (`Isolation.network` is
False), and only the syntax-tree checks stand between a request and the network. RLIMIT_AS caps the memory a
worker may map, so a request that expands in memory fails in its worker instead of taking the machine.
"""

from __future__ import annotations

import ctypes
import os
import resource
from dataclasses import dataclass

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


@dataclass(frozen=True)
class Limits:
    network: bool = False  # True only when the allowlist names endpoints
    memory_bytes: int = 4_000_000_000  # address space; the store's own mappings need some


@dataclass(frozen=True)
class Isolation:
    network_cut: bool
    how: str


def _unshare(flags: int) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    return 0 if libc.unshare(flags) == 0 else ctypes.get_errno()


def cut_network() -> Isolation:
    """Move this process into a network namespace of its own (as root, else in a user namespace)."""
    if not hasattr(os, "unshare") and not os.path.exists("/proc/self/ns/net"):
        return Isolation(False, "no network namespaces on this system")
    err = _unshare(CLONE_NEWNET)
    if err == 0:
        return Isolation(True, "network namespace")
    err_user = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if err_user == 0:
        return Isolation(True, "user and network namespace")
    return Isolation(False, f"unshare refused ({os.strerror(err)}; user namespaces: {os.strerror(err_user)})")


def isolate(limits: Limits) -> Isolation:
    """Apply the limits to this (worker) process; say whether its network is cut."""
    if limits.memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    if limits.network:
        return Isolation(False, "network allowed: the SERVICE/LOAD allowlist is not empty")
    return cut_network()
