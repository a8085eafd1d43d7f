"""Demo mode: accounts with printed passwords, and the demo keys marked as unfit for production."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from sqlalchemy.orm import Session

from fangkong import deployment
from fangkong.auth import repository, service
from fangkong.auth.permissions import Role
from fangkong.auth.schemas import UserCreate
from fangkong.config import Settings
from fangkong.core import security
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.regions import service as regions

DEMO_ACCOUNTS = (
    ("admin", "市指挥部管理员", Role.CITY_ADMIN, "230100"),
    ("daoli", "道里区值班员", Role.DISTRICT_OFFICER, "230102"),
    ("nangang", "南岗区值班员", Role.DISTRICT_OFFICER, "230103"),
)
# The grid worker of the first grid of 道里区 when the demo city has one.
DEMO_GRID_WORKER = ("wangge", "道里区网格员", Role.GRID_WORKER)


def setup(session: Session, settings: Settings, logins_file: Path) -> None:
    """Create missing demo accounts; passwords are random and kept in ``logins_file`` (0600)."""
    deployment.mark_demo_keys(session, settings)
    if logins_file.exists():
        return
    lines = ["fangkong demo logins (synthetic accounts; demo mode only):"]
    for username, name, role, region in (*DEMO_ACCOUNTS, *_grid_worker(session)):
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
            if role == Role.GRID_WORKER:
                regions.assign_worker(session, actor=SYSTEM, grid_code=region, user_id=user.id)
            lines.append(f"  {username:<10} {password:<16} {role.value} {region}")
    logins_file.parent.mkdir(parents=True, exist_ok=True)
    logins_file.write_text("\n".join(lines) + "\n")
    logins_file.chmod(0o600)


def _grid_worker(session: Session) -> list[tuple[str, str, Role, str]]:
    grids, _ = regions.search(session, actor=SYSTEM, page=PageParams(limit=1), q=None, level="grid")
    daoli = [grid for grid in grids if grid.code.startswith("230102")]
    if not daoli:
        return []
    username, name, role = DEMO_GRID_WORKER
    return [(username, name, role, daoli[0].code)]
