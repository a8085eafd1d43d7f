"""``fangkong reports bulletin`` as an operator runs it (subprocesses on their own SQLite
file): the text in zh (or en under an English locale), ``--json``, and bad input: one line
on stderr, exit 2."""

from __future__ import annotations

import json


def test_text_json_and_bad_input(cli_home):
    [text, as_json, bad, outside] = cli_home.run(
        ("reports", "bulletin", "--date", "2022-11-03"),
        ("reports", "bulletin", "--date", "2022-11-03", "--json"),
        ("reports", "bulletin", "--date", "2022-13-01"),
        ("reports", "bulletin", "--date", "2022-11-03", "--region", "110101"),
    )
    assert text.returncode == 0, text.stderr
    assert (
        text.stdout.startswith("2022年11月3日6时至11月4日6时，") and "暂无疫情数据" in text.stdout
    )
    body = json.loads(as_json.stdout)
    assert body["has_data"] is False and body["start"].startswith("2022-11-02T22:00")
    assert body["text_en"].startswith("No data for the period from 06:00 on 3 November 2022")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("error: report.bad_window") and bad.stderr.count("\n") == 1
    assert outside.returncode == 2 and outside.stderr.count("\n") == 1
    assert "report.region_not_found" in outside.stderr


def test_english_locale(cli_home):
    cli_home.env["LANGUAGE"] = "en"
    [text] = cli_home.run(("reports", "bulletin", "--date", "2022-11-03"))
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("No data for the period from 06:00 on 3 November 2022")
