from factories import make_user
from fangkong.auth import service
from fangkong.auth.schemas import UserFilters
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM

def test_probe(session):
    make_user(session, role="sampler", region_code="230102")
    service.list_users(session, actor=SYSTEM, filters=UserFilters(), page=PageParams(limit=5, cursor="W3RydWVd"))
