"""What every test shares: a cache of compiled packs of the test run's own.

factx keeps compiled rule sets in the user's cache folder (factx.packs.cache). A test must neither
read a file left there by another checkout nor leave files behind, so the whole run, and every
``factx`` it starts as a subprocess, uses a temporary folder instead. It is set when pytest starts,
before test modules are imported (some load the packs at import), and removed at the end.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

CACHE_ENV = "FACTX_CACHE_DIR"
_saved: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    _saved["value"] = os.environ.get(CACHE_ENV)
    _saved["folder"] = tempfile.mkdtemp(prefix="factx-test-cache-")
    os.environ[CACHE_ENV] = _saved["folder"]


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = _saved.pop("folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    value = _saved.pop("value", None)
    if value is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = value
