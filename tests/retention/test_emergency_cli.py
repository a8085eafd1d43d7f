"""``fangkong emergency ...`` and ``fangkong jobs run purge``: exit 2 with one line on bad input."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from fangkong.core import clock
from fangkong.models import AuditLog, EmergencyState


def test_bad_input_exits_2_with_one_line(cli_home):
    future = (clock.local_today() + timedelta(days=2)).isoformat()
    bad_format, future_day, missing, show = cli_home.run(
        ("emergency", "end", "--date", "2026-13-01"),
        ("emergency", "end", "--date", future),
        ("emergency", "end"),
        ("emergency", "show", "--json"),
    )
    assert bad_format.returncode == 2
    assert bad_format.stderr.strip() == "error: --date must be YYYY-MM-DD, got '2026-13-01'"
    assert future_day.returncode == 2 and len(future_day.stderr.strip().splitlines()) == 1
    assert "emergency.end_in_future" in future_day.stderr
    assert missing.returncode == 2
    assert show.returncode == 0, show.stderr
    assert json.loads(show.stdout)["ended_on"] is None
    ended = select(EmergencyState.ended_on).where(EmergencyState.ended_on.is_not(None))
    assert cli_home.one(ended) is None


def test_end_show_undo_and_purge(cli_home):
    today = clock.local_today().isoformat()
    [ended] = cli_home.run(("emergency", "end", "--date", today))
    assert ended.returncode == 0, ended.stderr
    assert f"emergency ended on {today}" in ended.stdout
    [show, rules, purge] = cli_home.run(
        ("emergency", "show", "--json"),
        ("emergency", "rules", "--json"),
        ("jobs", "run", "purge", "--date", today),
    )
    state = json.loads(show.stdout)
    assert state["ended_on"] == today and state["can_undo"] is True
    assert {r["table"] for r in json.loads(rules.stdout)} >= {"people", "audit_log"}
    assert purge.returncode == 0 and f"purge for {today}" in purge.stdout
    [again] = cli_home.run(("emergency", "end", "--date", today))
    assert again.returncode == 2 and "emergency.already_ended" in again.stderr
    [undo] = cli_home.run(("emergency", "undo"))
    assert undo.returncode == 0, undo.stderr
    [undo_again] = cli_home.run(("emergency", "undo"))
    assert undo_again.returncode == 2 and "emergency.not_ended" in undo_again.stderr
    assert cli_home.one(select(EmergencyState.ended_on)) == (None,)
    actions = select(AuditLog.action).where(AuditLog.object_type == "emergency")
    assert cli_home.one(actions.order_by(AuditLog.id.desc())) == ("emergency.undo_end",)
