from datetime import UTC, datetime, timedelta

import pytest

from fangkong.core import clock


def test_frozen_and_local_day():
    at = datetime(2022, 12, 7, 16, 30, tzinfo=UTC)  # 00:30 next day in Asia/Shanghai
    with clock.frozen(at):
        assert clock.now() == at
        assert clock.local_today().isoformat() == "2022-12-08"
    assert clock.now() - datetime.now(UTC) < timedelta(seconds=5)


def test_frozen_needs_aware_time():
    with pytest.raises(ValueError, match="timezone-aware"), clock.frozen(datetime(2022, 1, 1)):
        pass
