"""``fangkong exports request|run|list`` as an operator runs them, and the daily
``exports.expire`` job: files past their expiry are deleted and audited."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from fangkong.core import clock
from fangkong.exports import runner, service
from fangkong.exports.schemas import ExportCreate
from fangkong.jobs.catalog import all_jobs
from fangkong.models import AuditLog
from fangkong.models.exports import Export


def test_request_writes_the_file_and_list_shows_it(cli_home):
    [made] = cli_home.run(("exports", "request", "people", "--format", "csv"))
    assert made.returncode == 0, made.stderr
    export_id, rows, path = made.stdout.strip().split("\t")
    assert rows == "0 rows" and Path(cli_home.home / path).is_file()
    [listed, ran] = cli_home.run(("exports", "list", "--json"), ("exports", "run", "--once"))
    assert listed.returncode == 0 and ran.returncode == 0
    [row] = [e for e in json.loads(listed.stdout) if e["id"] == int(export_id)]
    assert row["status"] == "ready" and row["file"] == f"{export_id}.csv"


def test_bad_kind_or_format_exits_2(cli_home):
    [kind, file_format, region] = cli_home.run(
        ("exports", "request", "secrets"),
        ("exports", "request", "people", "--format", "pdf"),
        ("exports", "request", "people", "--region", "23x"),
    )
    for result in (kind, file_format, region):
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert kind.stderr.startswith("error: export.unknown_kind")
    assert file_format.stderr.startswith("error: export.unknown_format")


def test_expire_deletes_files_past_their_time(session, settings, users):
    actor_export = service.request_export(
        session, settings, actor=service.operator(), data=ExportCreate(kind="people", format="csv")
    )
    runner.write_inline(session, settings, actor_export)
    path = service.file_path(settings, actor_export)
    assert actor_export.status == "ready" and path.is_file()
    job = all_jobs()["exports.expire"]
    assert job.func(session, settings, date.today()) == {"expired": 0, "failed_stale": 0}
    actor_export.expires_at = clock.now() - timedelta(minutes=1)
    session.flush()
    assert job.func(session, settings, date.today()) == {"expired": 1, "failed_stale": 0}
    assert not path.exists() and actor_export.status == "expired"
    audit = session.scalars(
        select(AuditLog.action).where(AuditLog.object_id == str(actor_export.id))
    ).all()
    assert "export.expire" in audit
    assert session.get(Export, actor_export.id) is not None  # the record of who exported stays
