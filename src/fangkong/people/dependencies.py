"""Request-scoped helpers of the people routes: the sealing key from settings."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends

from fangkong.core.web import SettingsDep
from fangkong.people.protect import Protector


@lru_cache(maxsize=4)
def _protector(key: bytes) -> Protector:
    return Protector(key)


def get_protector(settings: SettingsDep) -> Protector:
    return _protector(settings.data_key_bytes)


ProtectorDep = Annotated[Protector, Depends(get_protector)]
