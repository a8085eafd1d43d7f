"""``fangkong demo setup``: the printed accounts, and a grid worker when the demo city has grids."""

from __future__ import annotations

from sqlalchemy import select

from factories import make_tree
from fangkong import demo
from fangkong.models import GridAssignment, User


def test_demo_accounts_without_a_city(session, settings, tmp_path):
    logins = tmp_path / "logins.txt"
    demo.setup(session, settings, logins)
    names = set(session.scalars(select(User.username).where(User.is_demo.is_(True))).all())
    assert names == {"admin", "daoli", "nangang"}
    assert "wangge" not in logins.read_text()


def test_demo_grid_worker_is_assigned_to_the_first_daoli_grid(session, settings, tmp_path):
    grid = make_tree(session, "230102")[-1]
    logins = tmp_path / "logins.txt"
    demo.setup(session, settings, logins)
    worker = session.scalars(select(User).where(User.username == "wangge")).one()
    assert (worker.role, worker.region_code, worker.is_demo) == ("grid_worker", grid.code, True)
    assert session.get(GridAssignment, (grid.code, worker.id)) is not None
    assert "wangge" in logins.read_text() and grid.code in logins.read_text()
    assert logins.stat().st_mode & 0o777 == 0o600


def test_demo_door_staff_operate_the_first_demo_venue_of_that_grid(session, settings, tmp_path):
    from fangkong.models.venue import Venue, VenueOperator

    grid = make_tree(session, "230102")[-1]
    demo.setup(session, settings, tmp_path / "logins.txt")
    operator = session.scalars(select(User).where(User.username == "menwei")).one()
    assert (operator.role, operator.region_code) == ("venue_operator", grid.code)
    venues = session.scalars(select(Venue).where(Venue.region_code == grid.code)).all()
    assert sorted(v.type for v in venues) == ["hospital", "restaurant", "supermarket"]
    operated = session.scalars(
        select(VenueOperator.venue_id).where(VenueOperator.user_id == operator.id)
    ).all()
    assert [v.type for v in venues if v.id in operated] == ["supermarket"]


def test_demo_testing_staff_have_a_site_and_a_lab(session, settings, tmp_path):
    from fangkong.models.testing import Lab, LabMember, SamplingSite

    grid = make_tree(session, "230102")[-1]
    logins = tmp_path / "logins.txt"
    demo.setup(session, settings, logins)
    sampler = session.scalars(select(User).where(User.username == "caiyang")).one()
    lab_user = session.scalars(select(User).where(User.username == "jiance")).one()
    assert (sampler.role, lab_user.role) == ("sampler", "lab")
    [site] = session.scalars(select(SamplingSite)).all()
    assert site.region_code == grid.code and site.name == demo.DEMO_SITE
    [lab] = session.scalars(select(Lab)).all()
    assert session.get(LabMember, (lab.id, lab_user.id)) is not None
    assert "caiyang" in logins.read_text() and "jiance" in logins.read_text()


def test_demo_checkpoint_staff_scan_at_the_demo_checkpoint(session, settings, tmp_path):
    from fangkong.models.arrivals import Checkpoint, CheckpointStaff

    make_tree(session, "230102")
    logins = tmp_path / "logins.txt"
    demo.setup(session, settings, logins)
    gate = session.scalars(select(User).where(User.username == "kakou")).one()
    [checkpoint] = session.scalars(select(Checkpoint)).all()
    assert (gate.role, checkpoint.name) == ("venue_operator", demo.DEMO_CHECKPOINT)
    assert session.get(CheckpointStaff, (checkpoint.id, gate.id)) is not None
    assert "kakou" in logins.read_text()


def test_demo_tracing_staff_and_the_isolation_site(session, settings, tmp_path):
    from fangkong.models.quarantine import IsolationSite, Room

    make_tree(session, "230102")
    logins = tmp_path / "logins.txt"
    demo.setup(session, settings, logins)
    epi = session.scalars(select(User).where(User.username == "liudiao")).one()
    officer = session.scalars(select(User).where(User.username == "geli")).one()
    assert (epi.role, officer.role) == ("epidemiologist", "isolation_officer")
    [site] = session.scalars(select(IsolationSite)).all()
    assert (site.name, site.region_code) == (demo.DEMO_ISOLATION_SITE, "230102")
    beds = [room.beds for room in session.scalars(select(Room).where(Room.site_id == site.id))]
    assert (len(beds), sum(beds)) == (40, 50)
    assert "liudiao" in logins.read_text() and "geli" in logins.read_text()
