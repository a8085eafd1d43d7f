"""Who is acting: the authenticated user as every layer sees it (framework-free)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fangkong.core.scoping import covers


@dataclass(frozen=True, slots=True)
class Principal:
    id: int | None
    username: str
    role: str
    region_code: str
    permissions: frozenset[str] = field(default_factory=frozenset)
    locale: str | None = None

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def covers(self, code: str) -> bool:
        return covers(self.region_code, code)


SYSTEM = Principal(id=None, username="system", role="system", region_code="230100")
