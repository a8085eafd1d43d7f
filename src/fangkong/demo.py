"""Demo mode: accounts with printed passwords, and the demo keys marked as unfit for production."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from sqlalchemy.orm import Session

from fangkong import deployment
from fangkong.arrivals.intake import checkpoints
from fangkong.arrivals.intake.schemas import CheckpointIn
from fangkong.auth import repository, service
from fangkong.auth.permissions import Role
from fangkong.auth.schemas import UserCreate
from fangkong.config import Settings
from fangkong.core import security
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.policy.types import VenueType
from fangkong.quarantine.sites import service as isolation
from fangkong.quarantine.sites.schemas import RoomsCreate, SiteKind
from fangkong.quarantine.sites.schemas import SiteCreate as IsolationSiteCreate
from fangkong.regions import service as regions
from fangkong.testing.results import service as labs
from fangkong.testing.results.schemas import LabCreate
from fangkong.testing.sampling import service as sampling
from fangkong.testing.sampling.schemas import SiteCreate
from fangkong.venues import service as venues
from fangkong.venues.schemas import VenueCreate

DEMO_ACCOUNTS = (
    ("admin", "市指挥部管理员", Role.CITY_ADMIN, "230100"),
    ("daoli", "道里区值班员", Role.DISTRICT_OFFICER, "230102"),
    ("nangang", "南岗区值班员", Role.DISTRICT_OFFICER, "230103"),
)
# With a demo city: the sampler of the demo site and the staff of the demo lab (核酸检测).
DEMO_TESTING_ACCOUNTS = (
    ("caiyang", "示例采样员", Role.SAMPLER, "230102"),
    ("jiance", "示例检测中心", Role.LAB, "230102"),
)
# With a demo city: the staff of a demo checkpoint (卡口、三站一场) scanning arrivals.
DEMO_CHECKPOINT_ACCOUNT = ("kakou", "示例卡口值守", Role.VENUE_OPERATOR, "230102")
# With a demo city: an epidemiologist (流调人员) and the officer of a demo isolation site (隔离点).
DEMO_TRACING_ACCOUNTS = (
    ("liudiao", "道里区流调员", Role.EPIDEMIOLOGIST, "230102"),
    ("geli", "示例隔离酒店值守", Role.ISOLATION_OFFICER, "230102"),
)
DEMO_ISOLATION_SITE = "示例隔离酒店"
DEMO_CHECKPOINT = "哈尔滨西站（示例卡口）"
DEMO_LAB = "示例核酸检测中心"
DEMO_SITE = "示例社区采样点"
# The grid worker of the first grid of 道里区 when the demo city has one.
DEMO_GRID_WORKER = ("wangge", "道里区网格员", Role.GRID_WORKER)
# Door staff of the first demo venue, and the venues of that grid (synthetic names).
DEMO_VENUE_OPERATOR = ("menwei", "示例超市门岗", Role.VENUE_OPERATOR)
DEMO_VENUES = (
    ("示例惠民超市", VenueType.SUPERMARKET),
    ("示例社区医院", VenueType.HOSPITAL),
    ("示例家常菜馆", VenueType.RESTAURANT),
)


def setup(session: Session, settings: Settings, logins_file: Path) -> None:
    """Create missing demo accounts; passwords are random and kept in ``logins_file`` (0600)."""
    deployment.mark_demo_keys(session, settings)
    if logins_file.exists():
        return
    lines = ["fangkong demo logins (synthetic accounts; demo mode only):"]
    grid = _first_daoli_grid(session)
    for username, name, role, region in (*DEMO_ACCOUNTS, *_grid_accounts(grid)):
        password = security.new_token(9)
        if repository.by_username(session, username) is None:
            data = UserCreate(
                username=username,
                display_name=name,
                role=role,
                region_code=region,
                password=SecretStr(password),
            )
            user, _ = service.create_user(
                session, actor=SYSTEM, settings=settings, data=data, is_demo=True
            )
            _places_of(session, username, role, region, user_id=user.id, grid=grid)
            lines.append(f"  {username:<10} {password:<16} {role.value} {region}")
    logins_file.parent.mkdir(parents=True, exist_ok=True)
    logins_file.write_text("\n".join(lines) + "\n")
    logins_file.chmod(0o600)


def _places_of(
    session: Session, username: str, role: Role, region: str, *, user_id: int, grid: str | None
) -> None:
    """What a demo account works at: its grid, venues, checkpoint, sampling site or lab."""
    if role == Role.GRID_WORKER:
        regions.assign_worker(session, actor=SYSTEM, grid_code=region, user_id=user_id)
    if username == DEMO_CHECKPOINT_ACCOUNT[0]:
        _demo_checkpoint(session, user_id=user_id)
    elif role == Role.VENUE_OPERATOR:
        _demo_venues(session, grid_code=region, operator_id=user_id)
    if role == Role.SAMPLER and grid is not None:
        _demo_site(session, grid_code=grid)
    if role == Role.LAB:
        _demo_lab(session, user_id=user_id)
    if role == Role.ISOLATION_OFFICER:
        _demo_isolation_site(session)


def _first_daoli_grid(session: Session) -> str | None:
    grids, _ = regions.search(session, actor=SYSTEM, page=PageParams(limit=1), q=None, level="grid")
    daoli = [grid.code for grid in grids if grid.code.startswith("230102")]
    return daoli[0] if daoli else None


def _grid_accounts(grid: str | None) -> list[tuple[str, str, Role, str]]:
    """With a demo city: the grid worker and the venue operator of the first grid of 道里区,
    the testing staff of 道里区, the staff of its demo checkpoint, an epidemiologist and the
    officer of a demo isolation site."""
    if grid is None:
        return []
    staff = [(*account, grid) for account in (DEMO_GRID_WORKER, DEMO_VENUE_OPERATOR)]
    return [*staff, *DEMO_TESTING_ACCOUNTS, DEMO_CHECKPOINT_ACCOUNT, *DEMO_TRACING_ACCOUNTS]


def _demo_venues(session: Session, *, grid_code: str, operator_id: int) -> None:
    """Venues of the demo grid, the first one operated by the demo door staff."""
    for index, (name, kind) in enumerate(DEMO_VENUES):
        data = VenueCreate(name=name, type=kind, region_code=grid_code, address=f"{name}门口")
        venue = venues.create_venue(session, actor=SYSTEM, data=data)
        if index == 0:
            venues.add_operator(session, actor=SYSTEM, venue_id=venue.id, user_id=operator_id)


def _demo_site(session: Session, *, grid_code: str) -> None:
    """A sampling site in the demo grid, for the demo sampler's page."""
    data = SiteCreate(name=DEMO_SITE, region_code=grid_code, address=f"{DEMO_SITE}（社区广场）")
    sampling.create_site(session, actor=SYSTEM, data=data)


def _demo_checkpoint(session: Session, *, user_id: int) -> None:
    """A railway-station checkpoint of 道里区 with the demo checkpoint account as its staff."""
    data = CheckpointIn(name=DEMO_CHECKPOINT, kind="railway_station", region_code="230102")
    checkpoint = checkpoints.create(session, actor=SYSTEM, data=data)
    checkpoints.add_staff(session, actor=SYSTEM, checkpoint_id=checkpoint.id, user_id=user_id)


def _demo_lab(session: Session, *, user_id: int) -> None:
    """The demo lab, with the demo lab account as its staff."""
    lab = labs.create_lab(
        session, actor=SYSTEM, data=LabCreate(name=DEMO_LAB, region_code="230102")
    )
    labs.add_member(session, actor=SYSTEM, lab_id=lab.id, user_id=user_id)


def _demo_isolation_site(session: Session) -> None:
    """A hotel of 道里区 used as an isolation site: 30 single rooms and 10 double rooms."""
    data = IsolationSiteCreate(name=DEMO_ISOLATION_SITE, kind=SiteKind.HOTEL, region_code="230102",
                               address="道里区示例大街8号")  # fmt: skip
    site = isolation.create_site(session, actor=SYSTEM, data=data)
    for numbers, beds in (("801-830", 1), ("901-910", 2)):
        rooms = RoomsCreate(numbers=numbers, beds=beds)
        isolation.add_rooms(session, actor=SYSTEM, site_id=site.id, data=rooms)
