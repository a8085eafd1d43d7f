"""Citizens in the generic harness: per district a resident signed in with a one-time code and
holding a personal code; the bad inputs of sign-in and of the code check.

Every citizens route is unscoped for the probe, which calls as a district officer: the
``/api/v1/me`` routes answer only a signed-in citizen's own data (a staff token gets 401,
tests/citizens/test_tokens.py), sign-in reads no district's records, and a personal code is
checked at any door of the city.
"""

from __future__ import annotations

from factories import resident_id
from fangkong.citizens import service
from fangkong.citizens.schemas import Citizen
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from harness.registry import BadInput, District, Domain, Seeded, register


class _Keep:
    """A sender that keeps the code instead of sending it."""

    code = ""

    def send(self, phone: str, code: str, minutes: int) -> None:
        self.code = code


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe-citizen", role="city_admin", region_code="230100")
    phone = f"137{district.code[-4:]}0002"
    number = resident_id(int(district.code) % 1000 + 700, region=district.code)
    data = PersonCreate(
        name=f"{district.tag}民", id_number=number, phone=phone, grid_code=district.grid
    )
    person, _ = people.create_person(
        session, actor=actor, protector=Protector(settings.data_key_bytes), data=data
    )
    sender = _Keep()
    service.request_otp(session, settings, phone, sender)
    token, _ = service.sign_in(session, settings, phone, sender.code)
    citizen = service.resolve(session, token)
    assert isinstance(citizen, Citizen)
    code = service.health_code(session, settings, citizen, "zh_CN")
    return Seeded(ids={"citizen_person": str(person.id), "qr_payload": code.qr_payload})


ME = "the signed-in citizen's own data, under citizen auth: a staff token gets 401"
BAD_INPUTS = (
    BadInput("a malformed phone", "post", "/api/v1/citizen/otp", 422, "person.invalid_phone",
             json={"phone": "12345"}),
    BadInput("a code with letters", "post", "/api/v1/citizen/token", 422, "request.invalid",
             json={"phone": "13700000000", "code": "12ab56"}),
    BadInput("a code for a phone that got none", "post", "/api/v1/citizen/token", 400,
             "citizen.otp_invalid", json={"phone": "13700000000", "code": "123456"}),
    BadInput("a forged personal code", "post", "/api/v1/health-code/verify", 400,
             "health_code.qr_invalid", json={"payload": "HC1." + "A" * 54},
             role="venue_operator"),
    BadInput("a personal code cut short", "post", "/api/v1/health-code/verify", 400,
             "health_code.qr_invalid", json={"payload": "HC1.AAAA"}, role="venue_operator"),
)  # fmt: skip

register(
    Domain(
        name="citizens",
        prefixes=("/api/v1/citizen", "/api/v1/me", "/api/v1/health-code/verify"),
        seed=seed,
        order=60,
        unscoped={
            "POST /api/v1/citizen/otp": "sign-in: answers 202 for any phone, reads no district",
            "POST /api/v1/citizen/token": "sign-in: a phone and its code, no district's records",
            "GET /api/v1/me": ME,
            "GET /api/v1/me/health-code": ME,
            "GET /api/v1/me/scans": ME,
            "GET /api/v1/me/appeals": ME,
            "POST /api/v1/me/appeals": ME,
            "POST /api/v1/health-code/verify": (
                "a personal code is shown at any door of the city: the payload names its holder, "
                "not a district, and the answer is a masked name and a colour"
            ),
        },
        bad_inputs=BAD_INPUTS,
    )
)
