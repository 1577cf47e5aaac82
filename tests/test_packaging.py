"""A plain (non-editable) install ships the built-in rule packs and extracts what the checkout does.

The package is installed into a temporary folder and imported from there, from another working
directory, with the repository's ``src/`` kept off ``sys.path``: a wheel that forgot ``rules/``
would find no packs and fail here.

How it is built: with hatchling importable in this venv, ``pip wheel --no-build-isolation`` builds
offline and the wheel is installed with ``--target``. Without it (the dev extras do not install it),
``pip install --no-deps --target`` builds in an isolated environment, getting hatchling from pip's
configured indexes or cache.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def pip(*args: str, cwd: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"pip {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


def install(target: Path, scratch: Path) -> None:
    if importlib.util.find_spec("hatchling") is not None:
        wheels = scratch / "wheels"
        pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(REPO), cwd=scratch)
        (wheel,) = wheels.glob("factx-*.whl")
        pip("install", "--no-deps", "--no-index", "--target", str(target), str(wheel), cwd=scratch)
    else:
        pip("install", "--no-deps", "--target", str(target), str(REPO), cwd=scratch)


def isolated_env(target: Path) -> dict[str, str]:
    """The installed copy first, then this venv's site-packages for typer, pydantic, regex, yaml, rich."""
    site = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FACTX_RULES")}
    env["PYTHONPATH"] = os.pathsep.join([str(target), *dict.fromkeys(site)])
    return env


def test_installed_package_ships_builtin_packs_and_extracts_like_the_checkout(tmp_path: Path) -> None:
    target = tmp_path / "site"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    install(target, tmp_path)

    shipped = target / "factx" / "rules"
    repo_packs = sorted(p.name for p in (REPO / "rules").glob("*.yaml"))
    assert repo_packs
    assert sorted(p.name for p in shipped.glob("*.yaml")) == repo_packs
    for name in repo_packs:
        assert (shipped / name).read_bytes() == (REPO / "rules" / name).read_bytes(), name

    # -S: no site-packages .pth processing, so the editable install's path to src/ is never added
    env = isolated_env(target)
    probe = subprocess.run(
        [
            sys.executable,
            "-S",
            "-c",
            "import sys, factx\n"
            "from factx.packs.loader import builtin_rules_dir\n"
            "print(factx.__file__)\n"
            "print(builtin_rules_dir())\n"
            "print('\\n'.join(sys.path))\n",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    module_file, rules_dir, *path = probe.stdout.splitlines()
    assert Path(module_file).resolve().is_relative_to(target.resolve())
    assert Path(rules_dir).resolve() == shipped.resolve()
    src = (REPO / "src").resolve()
    assert all(not p or Path(p).resolve() != src for p in path), path

    installed = subprocess.run(
        [sys.executable, "-S", "-m", "factx", "extract", str(SEEDS)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        timeout=120,
    )
    checkout = subprocess.run(
        [sys.executable, "-m", "factx", "extract", str(SEEDS)],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FACTX_RULES")},
        capture_output=True,
        timeout=120,
    )
    assert checkout.returncode == 0, checkout.stderr.decode()
    assert installed.returncode == 0, installed.stderr.decode()
    assert checkout.stdout.count(b"\n") > 100
    assert installed.stdout == checkout.stdout
