"""The Export action of the cases, contacts, placements and trips pages (the page's current
filters posted as ``params.<name>``), a bad filter as a form error, and the matching
``fangkong exports request --kind K --filter NAME=VALUE`` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports.helpers import csv_rows
from exports.lists import make_lists
from exports.test_views import csrf_of
from factories import web_login
from fangkong.core.masking import mask_person_name
from fangkong.models.exports import Export

PAGES = {
    "cases": "/cases?kind=confirmed&district=230102",
    "contacts": "/tracing/contacts?degree=secondary",
    "placements": "/quarantine/placements?measure=home_isolation&due=1",
    "trips": "/arrivals?grade=high&name=赵",
}
HIDDEN = {
    "cases": ('name="params.kind" value="confirmed"', 'name="params.district" value="230102"'),
    "contacts": ('name="params.degree" value="secondary"',),
    "placements": ('name="params.measure" value="home_isolation"',
                   'name="params.due_for_release" value="1"'),
    "trips": ('name="params.grade" value="high"', 'name="params.name" value="赵"'),
}  # fmt: skip
POSTED = {
    "cases": {"params.kind": "confirmed", "params.district": "230102"},
    "contacts": {"params.degree": "secondary", "params.grid": ""},
    "placements": {"params.measure": "home_isolation", "params.fever": ""},
    "trips": {"params.grade": "high", "params.name": "赵"},
}


@pytest.fixture
def lists(session, world):
    made = make_lists(session, world["daoli"] + world["nangang"])
    session.commit()
    return made


@pytest.mark.parametrize("kind", list(PAGES))
def test_export_from_the_list_page(app_client, users, world, lists, session, kind):
    web_login(app_client, users["officer"].username)
    page = app_client.get(PAGES[kind])
    assert page.status_code == 200 and f'data-testid="{kind}-export"' in page.text
    for hidden in HIDDEN[kind]:
        assert hidden in page.text
    form = {"csrf_token": csrf_of(page.text), "kind": kind, "format": "csv"} | POSTED[kind]
    posted = app_client.post("/exports", data=form, follow_redirects=False)
    assert posted.status_code == 303, posted.text
    export = session.query(Export).one()
    got = app_client.get(f"/exports/{export.id}/file")
    assert [r[1] for r in csv_rows(got.content)[1:]] == [mask_person_name(world["daoli"][0].name)]


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_bad_filter_is_a_form_error(app_client, users, session, kind):
    web_login(app_client, users["officer"].username)
    token = csrf_of(app_client.get("/exports").text)
    form = {"csrf_token": token, "kind": kind, "format": "csv", "params.status": "asleep"}
    bad = app_client.post("/exports", data=form)
    assert bad.status_code == 422 and 'data-code="export.form_invalid"' in bad.text
    assert session.query(Export).count() == 0


def test_request_new_kinds_from_the_command_line(cli_home):
    good = cli_home.run(
        ("exports", "request", "--kind", "cases", "--filter", "kind=confirmed", "--format", "csv"),
        ("exports", "request", "placements", "--filter", "due_for_release=1", "--region", "230102"),
        ("exports", "request", "--kind", "trips", "--region", "230102", "--filter", "grade=high"),
    )
    for made in good:
        assert made.returncode == 0, made.stderr
        _, rows, path = made.stdout.strip().split("\t")
        assert rows == "0 rows" and Path(cli_home.home / path).is_file()


def test_bad_filters_on_the_command_line_exit_2(cli_home):
    results = cli_home.run(
        ("exports", "request", "--kind", "trips", "--filter", "grade=extreme"),
        ("exports", "request", "contacts", "--filter", "degree"),
        ("exports", "request", "cases", "--q", "赵"),
        ("exports", "request", "cases", "--region", "230102", "--filter", "district=230103"),
    )
    for result in results:
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    grade, pair, foreign, outside = (r.stderr for r in results)
    assert grade == "error: export.invalid: grade is not valid\n"
    assert pair.startswith("error: export.invalid: --filter takes NAME=VALUE")
    assert foreign == "error: export.invalid: q is not valid\n"
    assert outside.startswith("error: export.region_out_of_jurisdiction")
