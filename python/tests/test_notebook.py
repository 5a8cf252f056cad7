"""The example notebook (examples/notebook/efftrade.ipynb), executed by nbclient in this
interpreter's environment; the values it shows are checked against closed forms and mpmath
quadrature, not against the package."""

from __future__ import annotations

import json

import mpmath
import nbclient
import nbformat
import pytest

from conftest import REFERENCE, ROOT
from test_solve import mpf, uniform_symmetric

NOTEBOOK = ROOT / "examples" / "notebook" / "efftrade.ipynb"

# Appended to the notebook: what it computed, as JSON on standard output.
EXTRACT = """
import json
print(json.dumps({
    "figure1": figure1.to_dict(orient="list"),
    "first_falls": first_falls,
    "table": table.to_dict(orient="list"),
    "growth": growth,
}))
"""


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(EXTRACT))
    client = nbclient.NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors
    values = json.loads(nb.cells[-1].outputs[0]["text"])
    values["png"] = sum(1 for o in outputs if "image/png" in o.get("data", {}))
    return values


def test_figure1_is_drawn(executed):
    assert executed["png"] == 1


def test_figure1_uniform_market_matches_the_closed_form(executed):
    ns, stars = executed["figure1"]["n"], executed["figure1"]["beta* (market B)"]
    assert ns == list(range(2, 61))
    with mpmath.workdps(60):
        for n, star in zip(ns, stars):
            assert abs(mpf(star) / uniform_symmetric(n)[2] - 1) < mpmath.mpf(10) ** -19, n


def test_figure1_sine_market_matches_quadrature_and_falls_after_three(executed):
    ns, stars = executed["figure1"]["n"], executed["figure1"]["beta* (market A)"]
    by_n = dict(zip(ns, stars))
    mpmath.mp.dps = 40
    try:
        F = lambda x: x / 10 + (1 - mpmath.cos(x)) / 10  # noqa: E731
        b = mpmath.findroot(lambda x: F(x) - 1, 8.44)
        reference = {
            n: REFERENCE.market(F, 0, b, n, n, breaks=[mpmath.pi, 2 * mpmath.pi])[2]
            for n in (2, 3, 4, 60)
        }
    finally:
        mpmath.mp.dps = 15
    with mpmath.workdps(40):
        for n, star in reference.items():
            assert abs(mpf(by_n[n]) / star - 1) < mpmath.mpf(10) ** -19, n
        # the paper's point: beta* rises from n = 2 to 3, then falls (Figure 1)
        assert reference[2] < reference[3] > reference[4]
    assert executed["first_falls"] == 3


def test_replication_table_matches_the_closed_form_to_n_2e30(executed):
    table = executed["table"]
    assert table["N"][-1] == str(2 * 10**30)
    with mpmath.workdps(120):
        for m, N, t1, n_t1, star in zip(
            table["m"], table["N"], table["t1"], table["n_t1"], table["beta_star"]
        ):
            assert int(N) == 2 * int(m)
            ref_t1, _, ref_star = uniform_symmetric(int(N))
            assert abs(mpf(t1, 120) / ref_t1 - 1) < mpmath.mpf(10) ** -28, N
            assert abs(mpf(n_t1, 120) / (int(N) * ref_t1) - 1) < mpmath.mpf(10) ** -28, N
            assert abs(mpf(star, 120) / ref_star - 1) < mpmath.mpf(10) ** -28, N


def test_growth_slope_is_lemma3s(executed):
    # uniform: 1 - F(b - d) = d, so alpha = 1, c = 1, A1 = 1 and A1 / (b - mu) = 2
    growth = executed["growth"]
    assert growth["alpha"] == 1
    assert mpf(growth["predicted_slope"]) == 2
    assert abs(mpf(growth["slope"]) - 2) < 1e-10
