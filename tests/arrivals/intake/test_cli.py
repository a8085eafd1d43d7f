"""``fangkong arrivals import FILE`` and ``import-template`` as an operator runs them
(subprocesses on their own SQLite file): a summary, refused rows on stderr, a re-import that
changes nothing, exit 2 on a bad file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

HEADER = "手机号,来源省,来源市,来源区县,抵达时间\n"


def test_import_summary_reimport_and_bad_file(cli_home, tmp_path):
    at = (datetime.now(UTC) + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M")  # 3 h ago, local
    pushed = tmp_path / "push.csv"
    pushed.write_text(HEADER + f"13900000003,北京市,北京市,朝阳区,{at}\n"
                      f"13900000004,火星省,火星市,某区,{at}\n", encoding="utf-8")  # fmt: skip
    [first] = cli_home.run(("arrivals", "import", pushed))
    assert first.returncode == 0, first.stderr
    assert "accepted 1 (matched 0, unmatched 1)" in first.stdout
    assert "rejected 1" in first.stdout
    assert "line 3: arrival.unknown_origin" in first.stderr
    [again] = cli_home.run(("arrivals", "import", pushed, "--json"))
    report = json.loads(again.stdout)
    assert (report["accepted"], report["unchanged"]) == (0, 1)
    broken = tmp_path / "broken.csv"
    broken.write_text("foo,bar\n1,2\n", encoding="utf-8")
    [bad] = cli_home.run(("arrivals", "import", broken))
    assert bad.returncode == 2 and "import.unknown_columns" in bad.stderr
    [missing] = cli_home.run(("arrivals", "import", tmp_path / "nope.csv"))
    assert missing.returncode == 2


def test_import_template(cli_home, tmp_path):
    out = tmp_path / "t.xlsx"
    [made] = cli_home.run(("arrivals", "import-template", "--format", "xlsx", "--output", out))
    assert made.returncode == 0 and out.read_bytes()[:2] == b"PK"
    [csv] = cli_home.run(("arrivals", "import-template"))
    assert "身份证号" in csv.stdout
