"""``fangkong sentinel ...`` as an operator runs them: counts and alerts of a day (JSON too),
and bad input exits 2 with one line."""

from __future__ import annotations

import json


def test_counts_and_alerts_of_a_day(cli_home):
    counts, alerts = cli_home.run(
        ("sentinel", "counts", "--on", "2022-12-10", "--json"),
        ("sentinel", "alerts", "--on", "2022-12-10", "--compute"),
    )
    assert counts.returncode == 0, counts.stderr
    assert json.loads(counts.stdout) == {"day": "2022-12-10", "by_clinic": [], "by_district": []}
    assert alerts.returncode == 0, alerts.stderr
    assert alerts.stdout.strip() == "0 alert(s)"


def test_bad_input_exits_2_with_one_line(cli_home, tmp_path):
    sales = tmp_path / "sales.csv"
    sales.write_text("场所编号,颜色\n1,红\n", encoding="utf-8")
    results = cli_home.run(
        ("sentinel", "counts", "--on", "10 December"),
        ("sentinel", "import-sales", tmp_path / "missing.csv"),
        ("sentinel", "import-sales", sales),
        ("sentinel", "register-site", "99999", "--kind", "pharmacy"),
    )
    codes = ["", "", "import.unknown_columns", "venue.not_found"]
    for result, code in zip(results, codes, strict=True):
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert code in result.stderr
