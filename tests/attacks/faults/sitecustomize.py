"""Failures injected into a command an attack runs (``faults:`` of a step).

Python imports ``sitecustomize`` at start-up; the harness puts this folder first on
``PYTHONPATH`` and describes the faults in ``BRIEFING_FAULTS`` (JSON):

- ``readonly: [folder, ...]``: creating, writing, renaming or removing anything inside these
  folders fails with EROFS, as on a read-only file system (the tests run as root, for whom
  ``chmod 555`` changes nothing);
- ``enospc: [folder, ...]``: creating or writing a file inside these folders fails with
  ENOSPC, as on a full disk;
- ``forbid_sync: true``: ``os.sync()`` (which flushes every file system of the machine, not
  just the records) raises.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os

_FAULTS = json.loads(os.environ.get("BRIEFING_FAULTS") or "{}")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _inside(path: object, folders: list[str]) -> bool:
    try:
        name = os.path.abspath(os.fsdecode(path))  # type: ignore[arg-type]
    except TypeError:
        return False
    return any(name == f or name.startswith(f.rstrip("/") + "/") for f in folders)


def _fault(path: object) -> OSError | None:
    if _inside(path, _FAULTS.get("readonly", [])):
        return OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
    if _inside(path, _FAULTS.get("enospc", [])):
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fsdecode(path))
    return None


def _install() -> None:
    real_open, real_os_open = builtins.open, os.open

    def os_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        error = _fault(path) if flags & _WRITE_FLAGS else None
        if error is not None:
            raise error
        return real_os_open(path, flags, *args, **kwargs)

    def open_(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        error = _fault(file) if isinstance(file, str | bytes | os.PathLike) and \
            any(c in mode for c in "wax+") else None
        if error is not None:
            raise error
        return real_open(file, mode, *args, **kwargs)

    def two_paths(real):  # type: ignore[no-untyped-def]
        def changed(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
            error = _fault(dst) or _fault(src)
            if error is not None:
                raise error
            return real(src, dst, *args, **kwargs)
        return changed

    def one_path(real, only_readonly=False):  # type: ignore[no-untyped-def]
        def changed(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            error = _fault(path)
            if error is not None and not (only_readonly and error.errno == errno.ENOSPC):
                raise error
            return real(path, *args, **kwargs)
        return changed

    os.open = os_open
    builtins.open = io.open = open_
    os.replace = two_paths(os.replace)
    os.rename = two_paths(os.rename)
    os.link = two_paths(os.link)
    os.symlink = two_paths(os.symlink)
    os.mkdir = one_path(os.mkdir)
    os.unlink = one_path(os.unlink, only_readonly=True)
    os.remove = one_path(os.remove, only_readonly=True)
    os.rmdir = one_path(os.rmdir, only_readonly=True)
    os.truncate = one_path(os.truncate)
    os.chmod = one_path(os.chmod, only_readonly=True)
    if _FAULTS.get("forbid_sync"):
        def sync() -> None:
            raise RuntimeError("os.sync() flushes every file system of the machine")
        os.sync = sync


if _FAULTS:
    _install()
