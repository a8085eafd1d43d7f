"""The outbreak driver: the pure model (``simulate.outbreak``) fed to the platform through its
own services, day by day, with the platform's measures read back as the model's controls
(docs/outbreak-driver.md)."""

from fangkong.simulate.driver.errors import DriverError
from fangkong.simulate.driver.run import DEFAULT_START, DayLine, Driver, Options

__all__ = ["DEFAULT_START", "DayLine", "Driver", "DriverError", "Options"]
