"""efftrade.solve, sweep and validate against closed forms, independent mpmath quadrature and the
command line's own output."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest

import efftrade
from conftest import REFERENCE, SPECS, run_cli

UNIFORM_2 = {
    "description": "uniform types, two agents, equal shares",
    "distribution": {"family": "uniform"},
    "market": {"n": 2, "shares": "symmetric"},
}


def mpf(text: str, dps: int = 80) -> mpmath.mpf:
    with mpmath.workdps(dps):
        return mpmath.mpf(text)


def uniform_symmetric(n: int):
    """T1, T2, beta* of n agents with equal shares and uniform types on [0, 1], in closed form:
    v* = n^(-1/(n-1)), T1 = (n-1)/(n+1) - (1 - 1/n) v*, T2 = 1/(n+1) - 1/2 (one-dimensional
    forms of docs/MATH.md integrated exactly)."""
    n = mpmath.mpf(n)
    v = mpmath.exp(-mpmath.log(n) / (n - 1))
    t1 = (n - 1) / (n + 1) - (1 - 1 / n) * v
    t2 = 1 / (n + 1) - mpmath.mpf(1) / 2
    return t1, t2, -n * t1 / (t1 + t2)


def test_uniform_two_agents_beta_star_is_two_to_50_digits():
    r = efftrade.solve(UNIFORM_2, digits=50)
    assert len(r) == 1 and r[0]["digits"] == 50
    assert r[0]["beta_star"] == "2." + "0" * 49
    with mpmath.workdps(80):
        # beta* = 2, T1 = 1/12, T2 = -1/6 exactly: every one of the 50 digits is right
        assert abs(mpf(r[0]["beta_star"]) - 2) < mpmath.mpf(10) ** -49
        assert abs(mpf(r[0]["t1"]) - mpmath.mpf(1) / 12) < mpmath.mpf(10) ** -51
        assert abs(mpf(r[0]["t2"]) + mpmath.mpf(1) / 6) < mpmath.mpf(10) ** -50
    assert r[0]["critical_types"] == ["0." + "5" + "0" * 49]
    assert r[0]["verdict"].startswith("efficient for beta in [0, 2.000")


def test_every_way_of_giving_a_spec_gives_the_same_records(tmp_path: Path):
    path = tmp_path / "uniform.yaml"
    text = efftrade.to_yaml(UNIFORM_2)
    path.write_text(text)
    by_dict = efftrade.solve(UNIFORM_2, digits=25)
    assert efftrade.solve(text, digits=25) == by_dict
    assert efftrade.solve(path, digits=25) == by_dict
    assert efftrade.solve(str(path), digits=25) == by_dict


def test_symmetric_uniform_markets_match_the_closed_form():
    spec = dict(UNIFORM_2, market={"n": [2, 3, 7, 60, 1000], "shares": "symmetric"})
    records = efftrade.sweep(spec, digits=40, progress=False)
    assert [r["index"] for r in records] == [0, 1, 2, 3, 4]
    with mpmath.workdps(80):
        for r in records:
            t1, t2, star = uniform_symmetric(int(r["n"]))
            assert abs(mpf(r["t1"]) / t1 - 1) < mpmath.mpf(10) ** -39
            assert abs(mpf(r["t2"]) / t2 - 1) < mpmath.mpf(10) ** -39
            assert abs(mpf(r["beta_star"]) / star - 1) < mpmath.mpf(10) ** -39


def test_three_agents_match_mpmath_quadrature():
    r = efftrade.solve(SPECS / "three-agents-uniform.yaml", digits=30)[0]
    mpmath.mp.dps = 50
    try:
        uniform = lambda x: x  # noqa: E731
        # shares 0.5, 0.3, 0.2: T1 from the one-dimensional form, integrals by quadrature
        n, shares = 3, [mpmath.mpf(1) / 2, mpmath.mpf(3) / 10, mpmath.mpf(1) / 5]
        v = [s ** (mpmath.mpf(1) / (n - 1)) for s in shares]
        t1 = 1 - sum(s * vi for s, vi in zip(shares, v)) - sum(
            mpmath.quad(lambda x: uniform(x) ** (n - 1), [vi, 1]) for vi in v
        ) + (n - 1) * mpmath.quad(lambda x: uniform(x) ** n, [0, 1])
        t2 = mpmath.mpf(1) / (n + 1) - mpmath.mpf(1) / 2
        star = -n * t1 / (t1 + t2)
        assert abs(mpf(r["t1"]) / t1 - 1) < mpmath.mpf(10) ** -29
        assert abs(mpf(r["beta_star"]) / star - 1) < mpmath.mpf(10) ** -29
    finally:
        mpmath.mp.dps = 15
    # beta = 0.5 is below beta* = 1.84...: efficient (Theorem 1)
    assert r["beta"] == "0.5" and r["efficient"] is True


def test_sine_market_matches_the_reference_quadrature():
    """Example 1's market A against references/distributions.py's `market` (mpmath quadrature,
    b solved from F(b) = 1 by mpmath.findroot)."""
    records = efftrade.solve(SPECS / "example1-sine-solved.yaml", digits=25, progress=False)
    by_n = {int(r["n"]): r for r in records}
    mpmath.mp.dps = 45
    try:
        F = lambda x: x / 10 + (1 - mpmath.cos(x)) / 10  # noqa: E731
        b = mpmath.findroot(lambda x: F(x) - 1, 8.44)
        for n in (2, 3, 4, 30):
            t1, t2, star = REFERENCE.market(F, 0, b, n, n, breaks=[mpmath.pi * k for k in (1, 2)])
            assert abs(mpf(by_n[n]["beta_star"]) / star - 1) < mpmath.mpf(10) ** -24, n
            assert abs(mpf(by_n[n]["t1"]) / t1 - 1) < mpmath.mpf(10) ** -24, n
    finally:
        mpmath.mp.dps = 15


def test_beta_is_exact_and_decides_the_verdict():
    below = efftrade.solve(UNIFORM_2, digits=20, beta=Fraction(199, 100))[0]
    above = efftrade.solve(UNIFORM_2, digits=20, beta="201/100")[0]
    assert below["beta"] == "1.99" and below["efficient"] is True
    assert above["beta"] == "2.01" and above["efficient"] is False
    assert efftrade.solve(UNIFORM_2, digits=20, beta=0.5)[0]["beta"] == "0.5"


def test_sweep_shards_partition_the_grid_and_write_what_the_cli_merges(tmp_path, efftrade_cli):
    spec = SPECS / "example1-uniform.yaml"
    whole = efftrade.sweep(spec, digits=15, progress=False, out=tmp_path / "all.csv", format="csv")
    shards = []
    for k in (1, 2, 3):
        part = efftrade.sweep(
            spec, digits=15, shard=f"{k}/3", progress=False,
            out=tmp_path / f"{k}.json", format="json",
        )
        assert all(r["index"] % 3 == k - 1 and r["points"] == 59 for r in part)
        shards += part
    assert sorted(shards, key=lambda r: r["index"]) == list(whole)
    # The shard files are the command line's: its merge joins them into its unsharded sweep.
    merged = run_cli(efftrade_cli, "merge", *(str(tmp_path / f"{k}.json") for k in (1, 2, 3)))
    unsharded = run_cli(efftrade_cli, "sweep", str(spec), "--digits", "15", "--format", "json")
    assert merged == unsharded
    assert [json.loads(line) for line in unsharded.splitlines()] == list(whole)
    csv_cli = run_cli(efftrade_cli, "sweep", str(spec), "--digits", "15", "--format", "csv")
    assert (tmp_path / "all.csv").read_text() == csv_cli


def test_records_are_the_cli_json(efftrade_cli):
    spec = str(SPECS / "three-agents-uniform.yaml")
    cli = run_cli(efftrade_cli, "solve", spec, "--digits", "35", "--format", "json")
    assert [json.loads(line) for line in cli.splitlines()] == list(efftrade.solve(spec, 35))


def test_validate_lists_the_grid_and_the_summary():
    v = efftrade.validate(SPECS / "example1-uniform.yaml")
    assert [int(r["n"]) for r in v] == list(range(2, 61))
    assert v[1]["shares"] == [["0.333333333333333333333333333333", "3"]]
    assert "grid          59 points" in v.summary
    solved_b = efftrade.validate(SPECS / "example1-sine-solved.yaml").summary
    mpmath.mp.dps = 45
    try:
        b = mpmath.findroot(lambda x: x / 10 + (1 - mpmath.cos(x)) / 10 - 1, 8.44)
        assert mpmath.nstr(b, 40) in solved_b
    finally:
        mpmath.mp.dps = 15


def test_mpf_and_frame_keep_every_digit():
    r = efftrade.solve(UNIFORM_2, digits=50)
    m = r.mpf()[0]
    with mpmath.workdps(60):
        assert abs(m["t1"] - mpmath.mpf(1) / 12) < mpmath.mpf(10) ** -51
    assert m["n"] == 2 and m["shares"] == [[mpmath.mpf("0.5"), 2]]
    assert m["description"] == UNIFORM_2["description"]
    frame = r.frame()
    assert frame.loc[0, "beta_star"] == "2." + "0" * 49
    assert r.frame(numbers="float").loc[0, "t2"] == pytest.approx(-1 / 6, rel=1e-15)
    assert efftrade.to_frame(r, numbers="mpf").loc[0, "mu"] == mpmath.mpf("0.5")


def test_progress_reports_every_point():
    seen = []
    records = efftrade.sweep(SPECS / "example1-uniform.yaml", digits=15, shard="1/2",
                             progress=lambda done, total: seen.append((done, total)))
    assert len(records) == 30
    assert seen and seen[-1] == (30, 30)
    assert all(total == 30 for _, total in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
