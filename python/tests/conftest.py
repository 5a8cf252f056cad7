"""Shared helpers of the Python package's tests: the repository's paths and the independent
mpmath references of references/distributions.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"

sys.path.insert(0, str(ROOT / "references"))
import distributions  # noqa: E402  (independent mpmath references: T1, T2, beta* by quadrature)

REFERENCE = distributions


@pytest.fixture(scope="session")
def efftrade_cli() -> Path:
    """The command line `efftrade` (EFFTRADE, else target/debug/efftrade): the tests that compare
    the package with it fail, never skip, when it is missing."""
    named = os.environ.get("EFFTRADE")
    path = Path(named) if named else ROOT / "target" / "debug" / "efftrade"
    if not path.is_file():
        found = shutil.which("efftrade")
        if found is None:
            pytest.fail(
                f"the efftrade command is needed to compare the package with it: build it with "
                f"`cargo build -p efftrade-cli` (giving {path}) or set "
                f"EFFTRADE to its path"
            )
        path = Path(found)
    return path


def run_cli(cli: Path, *args: str) -> str:
    """Standard output of the command line with `args` (which must succeed)."""
    done = subprocess.run(
        [str(cli), *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
