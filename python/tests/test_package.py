"""The package as installed: an abi3 wheel whose native module does not link Symbolica."""

from __future__ import annotations

import subprocess
import sysconfig
from pathlib import Path

import efftrade
from conftest import ROOT


def test_the_installed_wheel_is_tested():
    """`./x test` installs the package with `pip install ./python`; the tests use that install,
    not the source tree."""
    native = Path(efftrade._efftrade.__file__).resolve()
    site = Path(sysconfig.get_paths()["platlib"]).resolve()
    assert native.is_relative_to(site), f"{native} is not installed in {site}"
    assert native.name.endswith(".abi3.so") or native.suffix == ".pyd", native.name


def test_the_extension_does_not_link_symbolica():
    tree = subprocess.run(
        ["cargo", "tree", "-p", "efftrade-python", "-e", "normal,build", "--prefix", "none"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    crates = {line.split()[0] for line in tree.splitlines() if line.strip()}
    assert {"pyo3", "efftrade-numeric", "rug"} <= crates
    assert not {"symbolica", "numerica", "graphica", "efftrade-symbolic"} & crates


def test_the_package_exports_what_it_documents():
    for name in efftrade.__all__:
        assert getattr(efftrade, name).__doc__ or name == "MAX_DIGITS", name
    assert efftrade.MAX_DIGITS == 10_000
    assert (Path(efftrade.__file__).parent / "py.typed").is_file()
    assert (Path(efftrade.__file__).parent / "_efftrade.pyi").is_file()
