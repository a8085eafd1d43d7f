"""``fangkong tracing travel import FILE`` and ``travel template`` as an operator runs them
(subprocesses on their own SQLite file): a summary, refused rows on stderr, a re-import that
changes nothing, exit 2 on a bad file."""

from __future__ import annotations

import json

HEADER = "交通方式,班次/车次,日期,座位,手机号\n"


def test_import_summary_reimport_and_bad_file(cli_home, tmp_path):
    listed = tmp_path / "g1234.csv"
    listed.write_text(HEADER + "火车,G1234,2022-11-02,12F,13900000003\n"
                      "火箭,G1234,2022-11-02,12F,13900000004\n", encoding="utf-8")  # fmt: skip
    [first] = cli_home.run(("tracing", "travel", "import", listed))
    assert first.returncode == 0, first.stderr
    assert "accepted 1 (matched 0, unmatched 1)" in first.stdout and "rejected 1" in first.stdout
    assert "line 3: travel.unknown_mode" in first.stderr
    [again] = cli_home.run(("tracing", "travel", "import", listed, "--json"))
    report = json.loads(again.stdout)
    assert (report["accepted"], report["unchanged"]) == (0, 1)
    broken = tmp_path / "broken.csv"
    broken.write_text("foo,bar\n1,2\n", encoding="utf-8")
    [bad] = cli_home.run(("tracing", "travel", "import", broken))
    assert bad.returncode == 2 and "import.unknown_columns" in bad.stderr
    [missing] = cli_home.run(("tracing", "travel", "import", tmp_path / "nope.csv"))
    assert missing.returncode == 2


def test_template(cli_home, tmp_path):
    out = tmp_path / "t.xlsx"
    [made] = cli_home.run(("tracing", "travel", "template", "--format", "xlsx", "--output", out))
    assert made.returncode == 0 and out.read_bytes()[:2] == b"PK"
    [csv] = cli_home.run(("tracing", "travel", "template"))
    assert "班次/车次" in csv.stdout and "证件号码" in csv.stdout
