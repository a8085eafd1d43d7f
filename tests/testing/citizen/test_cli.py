"""``fangkong testing plan-pools`` as an operator runs it; bad input: one line, exit 2."""

from __future__ import annotations

import json


def test_plan_pools(cli_home):
    table, as_json, default = cli_home.run(
        (
            "testing",
            "plan-pools",
            "--prevalence",
            "0.001",
            "--people",
            "100000",
            "--sizes",
            "5,10,20",
        ),
        ("testing", "plan-pools", "--prevalence", "0.01", "--people", "1000", "--json"),
        ("testing", "plan-pools", "--prevalence", "0.1%", "--people", "1,000"),
    )
    assert table.returncode == 0, table.stderr
    assert "best allowed size: 20" in table.stdout
    assert "best size of any: 32" in table.stdout
    assert as_json.returncode == 0, as_json.stderr
    body = json.loads(as_json.stdout)
    assert body["best_size"] == 10 and body["best_size_any"] == 11
    assert {row["size"] for row in body["sizes"]} >= {10}  # the edition's allowed sizes
    assert default.returncode == 0 and "prevalence 0.001, people 1000" in default.stdout


def test_bad_input_is_one_line_and_exit_2(cli_home):
    results = cli_home.run(
        ("testing", "plan-pools", "--prevalence", "2", "--people", "10"),
        ("testing", "plan-pools", "--prevalence", "0.1", "--people", "ten"),
        ("testing", "plan-pools", "--prevalence", "0.1", "--people", "10", "--sizes", "1,5"),
        ("testing", "plan-pools", "--people", "10"),
    )
    codes = [
        "testing.plan.prevalence_invalid",
        "testing.plan.people_invalid",
        "testing.plan.sizes_invalid",
        "testing.plan.prevalence_invalid",
    ]
    for result, code in zip(results, codes, strict=True):
        assert result.returncode == 2, (result.args, result.stderr)
        assert code in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
