"""Every number of the outbreak model, in one frozen dataclass, each with its source or reason.

The transmission model (docs/outbreak-model.md): a person is susceptible, exposed (latent),
infectious, then recovered and immune for the rest of the run. Infectious people infect household
members with a daily probability and people present with them at a venue with a per-minute
hazard that depends on the venue kind; a pair's probability is ``1 - exp(-hazard * minutes)``.
Figures are Omicron-like (BA.1/BA.2, 2022) and rounded; they are meant to give a plausible
epidemic, not to forecast one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from fangkong.simulate.outbreak.errors import OutbreakError

# Venue kinds, in the order of ``Venues.kind`` codes.
KINDS = ("workplace", "school_class", "shop", "restaurant", "market", "hospital")
WORKPLACE, SCHOOL_CLASS, SHOP, RESTAURANT, MARKET, HOSPITAL = range(len(KINDS))

# Per-minute hazard of one infectious person on one susceptible person present at the same time.
# Calibrated so that, with the household rate below, an uncontrolled outbreak doubles in about
# 3-4 days (Omicron in Chinese cities in 2022 doubled in 2-4 days): a working day together gives
# a pairwise risk of about 5 % at work and school, an hour in an unmasked crowded place (the
# restaurant and wet-market clusters of 2020-2022) about 4-6 %.
DEFAULT_HAZARD = {
    "workplace": 1.25e-4,  # 480 min -> 5.8 % per pair-day
    "school_class": 1.0e-4,  # 480 min -> 4.7 %; children are also less susceptible
    "shop": 5.0e-4,  # short visits: 20 min -> 1 %
    "restaurant": 1.0e-3,  # masks off, talking: 60 min -> 5.8 %
    "market": 7.5e-4,  # crowded, cold and humid: 30 min -> 2.2 %
    "hospital": 7.5e-5,  # staff with protective equipment
}


@dataclass(frozen=True, slots=True)
class Parameters:
    """The model's parameters; ``validate()`` raises ``OutbreakError`` on an impossible one."""

    # -- disease course --
    # Omicron latent period about 3 days (incubation 3.2-3.4 days, Eurosurveillance
    # 2022; infectiousness starts about a day before symptoms). Gamma, shape 4: sd 1.5 days.
    latent_mean_days: float = 3.0
    latent_shape: float = 4.0
    # Infectious window about 6 days (culturable virus mostly within 5-8 days of onset; people
    # are infectious from one day before onset). Gamma, shape 6: sd about 2.4 days.
    infectious_mean_days: float = 6.0
    infectious_shape: float = 6.0
    presymptomatic_days: int = 1
    # Share never symptomatic: meta-analyses give about a third for Omicron (32 %, Vaccines,
    # 2022); reports from mass testing in China in 2022 were higher. 0.4 sits between.
    asymptomatic_share: float = 0.4
    # Asymptomatic people transmit less: relative risk 0.35-0.6 (a living systematic review,
    # PLOS Medicine 2022).
    asymptomatic_infectiousness: float = 0.5
    # Under-18s are less often infected per contact (odds ratio 0.56, a meta-analysis in JAMA
    # Pediatrics, 2021).
    child_susceptibility: float = 0.6
    # -- household --
    # Omicron household secondary attack rate about 0.4 (a Danish household study, Nature
    # Communications 2022: 39 %; a meta-analysis in JAMA Network Open 2022: 42.7 %), spread over
    # the infectious window.
    household_sar: float = 0.4
    # An isolated person still shares the home part of the time (or is moved out): a tenth.
    isolation_household_factor: float = 0.1
    # -- venues --
    venue_hazard: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_HAZARD))
    # Close contact: overlapping presence at a venue of at least this many minutes (the Chinese
    # guidance's "same space" contact; 15 minutes is the usual international threshold).
    contact_minutes: int = 15
    # -- behaviour --
    work_attendance: float = 0.9
    school_attendance: float = 0.95
    shop_rate: float = 0.3  # share of people aged 12+ shopping on a day
    restaurant_rate: float = 0.1  # weekdays; doubled at weekends
    market_rate: float = 0.08  # people under 50; doubled from 50 (older people shop at markets)
    stay_local: float = 0.7  # share of shop/restaurant visits in one's own grid
    symptomatic_stay_home: float = 0.5  # chance a symptomatic person skips every visit that day
    fever_clinic_rate: float = 0.35  # symptomatic people who go to a fever clinic
    fever_clinic_max_delay_days: int = 2  # days after onset, drawn uniformly 0..max
    # -- travel --
    arrival_rate: float = 0.001  # residents returning each day, share of the population
    risk_area_share: float = 0.1  # arrivals from a medium/high risk area
    infected_risk_area: float = 0.02  # chance an arrival from a risk area is infected
    infected_elsewhere: float = 0.0005
    # Chance that each channel hears of an arrival: self-report, a pushed (big data) list, a
    # checkpoint scan at a station, airport or highway exit. Channel names as in arrivals.intake.
    channel_rates: dict[str, float] = field(
        default_factory=lambda: {"self": 0.6, "pushed": 0.7, "checkpoint": 0.5}
    )
    start_weekday: int = 0  # day 0 is a Monday

    @property
    def household_daily(self) -> float:
        """Daily household risk so that the whole infectious window gives ``household_sar``."""
        return float(1.0 - (1.0 - self.household_sar) ** (1.0 / self.infectious_mean_days))

    def hazard_by_kind(self) -> list[float]:
        return [self.venue_hazard[kind] for kind in KINDS]

    def validate(self) -> None:
        """Raise ``OutbreakError`` naming the first impossible parameter."""
        for name, value in self._shares().items():
            if not 0.0 <= value <= 1.0:
                raise OutbreakError(f"{name} must be between 0 and 1, not {value}")
        for name, value in self._positives().items():
            if not (math.isfinite(value) and value > 0):
                raise OutbreakError(f"{name} must be positive, not {value}")
        self._validate_maps()
        if self.contact_minutes < 1 or self.presymptomatic_days < 0:
            raise OutbreakError("contact_minutes must be >= 1 and presymptomatic_days >= 0")
        if self.fever_clinic_max_delay_days < 0 or not 0 <= self.start_weekday <= 6:
            raise OutbreakError("fever_clinic_max_delay_days >= 0 and start_weekday 0..6")

    def _validate_maps(self) -> None:
        if set(self.venue_hazard) != set(KINDS):
            raise OutbreakError(f"venue_hazard needs exactly the kinds {', '.join(KINDS)}")
        if any(not (math.isfinite(h) and h >= 0) for h in self.venue_hazard.values()):
            raise OutbreakError("venue_hazard values must be finite and >= 0")
        if set(self.channel_rates) != {"self", "pushed", "checkpoint"}:
            raise OutbreakError("channel_rates needs exactly self, pushed and checkpoint")
        if any(not 0 <= r <= 1 for r in self.channel_rates.values()):
            raise OutbreakError("channel_rates must be between 0 and 1")

    def _shares(self) -> dict[str, float]:
        names = ("asymptomatic_share", "asymptomatic_infectiousness", "child_susceptibility",
                 "household_sar", "isolation_household_factor", "work_attendance",
                 "school_attendance", "shop_rate", "restaurant_rate", "market_rate", "stay_local",
                 "symptomatic_stay_home", "fever_clinic_rate", "arrival_rate", "risk_area_share",
                 "infected_risk_area", "infected_elsewhere")  # fmt: skip
        return {name: getattr(self, name) for name in names}

    def _positives(self) -> dict[str, float]:
        names = ("latent_mean_days", "latent_shape", "infectious_mean_days", "infectious_shape")
        return {name: getattr(self, name) for name in names}
