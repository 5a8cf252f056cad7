"""Bad input raises SpecError with the command line's located message; a failed computation
raises ComputationError."""

from __future__ import annotations

import pytest

import efftrade
from conftest import SPECS


def test_a_misspelt_key_is_located_in_the_dict_written_as_yaml():
    spec = {
        "description": "typo",
        "distribution": {"family": "uniform"},
        "market": {"n": 2, "sharez": "symmetric"},
    }
    with pytest.raises(efftrade.SpecError) as caught:
        efftrade.solve(spec)
    e = caught.value
    text = efftrade.to_yaml(spec).splitlines()
    assert text[e.line - 1] == "  sharez: \"symmetric\""
    assert (e.line, e.column) == (6, 3)
    assert str(e).startswith("<spec>:6:3: market: unknown field `sharez`")
    assert "  sharez:" in str(e) and "^" in str(e)
    assert e.help and "spelling" in e.help
    assert e.file is None
    assert isinstance(e, ValueError)


def test_a_spec_file_error_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("description: bad\ndistribution: {family: uniform}\nmarket: {n: 1}\n")
    with pytest.raises(efftrade.SpecError) as caught:
        efftrade.validate(path)
    e = caught.value
    assert e.file == str(path) and e.line == 3
    assert str(e).startswith(f"{path}:3:")


def test_a_missing_file_is_reported_as_such():
    with pytest.raises(efftrade.SpecError, match="cannot read the file"):
        efftrade.solve(str(SPECS / "no-such-spec.yaml"))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"digits": 0}, "digits=0: the digits to certify run from 1 to 10000"),
        ({"beta": "-1"}, "beta must be at least 0"),
        ({"beta": "x"}, "beta=\"x\""),
        ({"beta": True}, "not a bool"),
    ],
)
def test_bad_arguments_are_spec_errors(kwargs, message):
    with pytest.raises((efftrade.SpecError, TypeError), match=message):
        efftrade.solve(SPECS / "myerson-satterthwaite.yaml", **kwargs)


def test_bad_shard_and_lemma3_range():
    with pytest.raises(efftrade.SpecError, match="shard=\"5/4\""):
        efftrade.sweep(SPECS / "myerson-satterthwaite.yaml", shard="5/4")
    with pytest.raises(efftrade.SpecError, match="from_exponent=9, to_exponent=3"):
        efftrade.lemma3(SPECS / "example1-uniform.yaml", from_exponent=9, to_exponent=3)


def test_replicate_needs_a_replicated_market():
    with pytest.raises(efftrade.SpecError, match="the market is not replicated"):
        efftrade.replicate(SPECS / "myerson-satterthwaite.yaml")


def test_a_spec_must_be_a_path_text_or_dict():
    with pytest.raises(TypeError, match="not int"):
        efftrade.solve(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite"):
        efftrade.solve({"description": "x", "beta": float("nan")})


def test_failed_points_raise_with_every_record_or_are_kept():
    records = efftrade.Records([{"n": "2", "t1": "0.5"}, {"n": "3", "error": "no digits"}])
    with pytest.raises(efftrade.ComputationError) as caught:
        efftrade._checked(records, "N = 3: no digits", "raise")
    assert str(caught.value) == "N = 3: no digits"
    assert caught.value.records is records
    assert efftrade._checked(records, "N = 3: no digits", "keep") is records
    with pytest.raises(ValueError, match="errors='ignore'"):
        efftrade._checked(records, None, "ignore")


def test_progress_must_be_a_flag_or_a_callable():
    with pytest.raises(TypeError, match="progress must be"):
        efftrade.solve(SPECS / "myerson-satterthwaite.yaml", progress="yes")  # type: ignore[arg-type]
