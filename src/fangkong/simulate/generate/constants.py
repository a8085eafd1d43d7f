"""Sizes, shares and row layouts of the synthetic city, with the sources they come from."""

from __future__ import annotations

from typing import Any

from fangkong.models import IdType, KeyGroup, PersonStatus
from fangkong.people import idcard

Row = tuple[Any, ...]

# --- sizes of the tree ----------------------------------------------------------------------
# The seeds give no people-per-grid figure: the Harbin notice of 5 March 2022 (seeds/003) only
# says grids are drawn "根据社区服务管理实际,以及网格员工作承载能力" (by the community's needs
# and what one grid worker can carry). 350 people (about 145 households of 2.4) is the middle
# of the usual 300-400; grids vary by ±25 % around it.
PEOPLE_PER_GRID = 350
GRID_SPREAD = 0.25
GRIDS_PER_COMMUNITY = 8  # a community of about 2,800 people
# seeds/000: the six main urban districts hold "101个街道办事处" (101 streets). With about
# 5.5 million people there, 18 communities of 8 grids per street gives ~109 streets at full
# scale, close to that figure.
COMMUNITIES_PER_STREET = 18
SIZE_SPREAD = 0.4  # communities per street and grids per community vary by ±40 %
MAX_CHILD = 999  # three digits per level

# Rough resident populations in 10,000s (rounded, around the 2020 census; only proportions
# matter). They add up to about ten million: "千万人口的特大型城市" (seeds/001).
DISTRICT_WEIGHTS = {
    "230102": 116, "230103": 150, "230104": 88, "230108": 22, "230109": 51, "230110": 121,
    "230111": 60, "230112": 46, "230113": 60, "230123": 25, "230124": 17, "230125": 45,
    "230126": 45, "230127": 19, "230128": 16, "230129": 17, "230183": 44, "230184": 70,
}  # fmt: skip
# The six main urban districts have streets (街道) and communities (社区); the rest are drawn
# as towns (镇) and villages (村).
URBAN = frozenset({"230102", "230103", "230104", "230108", "230109", "230110"})

# --- people ---------------------------------------------------------------------------------
# Age pyramid, Harbin 2020 census: about 10 % aged 0-14, 66 % 15-59, 24 % 60 and over.
# (first age, last age, per cent of the population)
AGE_BANDS = (
    (0, 4, 2.8), (5, 9, 3.5), (10, 14, 3.7),
    (15, 19, 4.0), (20, 24, 5.2), (25, 29, 6.6), (30, 34, 8.4), (35, 39, 7.6),
    (40, 44, 7.2), (45, 49, 8.6), (50, 54, 9.6), (55, 59, 8.8),
    (60, 64, 7.6), (65, 69, 6.4), (70, 74, 4.4), (75, 79, 2.8), (80, 84, 1.7),
    (85, 89, 0.8), (90, 99, 0.3),
)  # fmt: skip
ADULT = 18
ELDERLY = 60
EARLIEST_TODAY_YEAR = idcard.EARLIEST_BIRTH_DATE.year + AGE_BANDS[-1][1] + 1
# Persons per household, Harbin 2020 census mean about 2.4 (this table: 2.41).
HOUSEHOLD_SIZES = ((1, 26), (2, 33), (3, 24), (4, 10), (5, 5), (6, 2))
COUPLE_SHARE = 0.8  # households of two or more with the head's spouse in them
FAMILY_SURNAME = 0.8  # other members bearing the father's (else the head's) surname
MIGRANT_SHARE = 0.10  # whole households registered in another province (外来人员)
# Registration codes of migrants: districts of neighbouring and large provinces' capitals.
MIGRANT_REGISTRATIONS = (
    ("220102", 20), ("210102", 18), ("370102", 12), ("150102", 10), ("410102", 10),
    ("130102", 8), ("110101", 5), ("120101", 4), ("140105", 4), ("320102", 3),
    ("340102", 3), ("420102", 3),
)  # fmt: skip
DISABLED = 0.015
PREGNANT = 0.005  # of women aged 20-40
CHRONIC = 0.15  # of people aged 60 and over
FROM_ABROAD = 0.002
KEY_GROUP = 0.03  # of people aged 18-59
KEY_GROUP_WEIGHTS = (
    (KeyGroup.DELIVERY, 14), (KeyGroup.TRANSPORT, 14), (KeyGroup.SERVICE, 18),
    (KeyGroup.MEDICAL, 12), (KeyGroup.SCHOOL, 10), (KeyGroup.MARKET, 9),
    (KeyGroup.CONSTRUCTION, 10), (KeyGroup.COLD_CHAIN, 5), (KeyGroup.ELDERLY_CARE, 4),
    (KeyGroup.QUARANTINE_SITE, 2), (KeyGroup.PORT, 2),
)  # fmt: skip
NO_WORKER = 0.04  # grids without a grid worker
TWO_WORKERS = 0.16  # grids with two
BATCH_PEOPLE = 10_000
MAX_PEOPLE = 20_000_000

PERSON_COLUMNS = (
    "id", "name", "id_type", "id_number_enc", "id_number_hash", "id_number_masked",
    "phone_enc", "phone_hash", "phone_masked", "sex", "birth_date", "registration_code",
    "address", "grid_code", "household_id", "elderly_alone", "disabled", "pregnant",
    "chronic_disease", "under_three", "migrant", "from_abroad", "match_key", "status",
    "created_at", "updated_at",
)  # fmt: skip
HOUSEHOLD_COLUMNS = ("id", "grid_code", "ref", "address", "head_id", "created_at", "updated_at")
MEMBERSHIP_COLUMNS = (
    "id", "person_id", "group", "employer", "start_date", "end_date", "created_at",
)  # fmt: skip
RESIDENT_ID = IdType.RESIDENT_ID.value
ACTIVE = PersonStatus.ACTIVE.value
