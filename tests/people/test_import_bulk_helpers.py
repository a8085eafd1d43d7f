"""The bulk helpers of the people import give exactly what their one-value forms give: the
batch hashes of ``Protector``, the SQLite date conversion of the driver, an empty batch across
the pipe, and a spawned parser that does not run the command's script again."""

from __future__ import annotations

import sys
import types
from datetime import date
from multiprocessing import Pipe

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine

from fangkong.core import offload
from fangkong.people import import_driver, import_store, import_worker
from fangkong.people.protect import Protector

NAMES = st.text(max_size=12)
DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@given(st.lists(st.tuples(st.sampled_from(["resident_id", "passport"]), NAMES), max_size=5))
def test_batch_id_hashes_are_the_single_ones(documents: list[tuple[str, str]]):
    protector = Protector(bytes(32))
    assert protector.id_hashes(documents) == [protector.id_hash(k, n) for k, n in documents]


@given(st.lists(NAMES, max_size=5))
def test_batch_phone_hashes_are_the_single_ones(phones: list[str]):
    protector = Protector(bytes(32))
    assert protector.phone_hashes(phones) == [protector.phone_hash(p) for p in phones]


@given(st.lists(st.tuples(NAMES, DATES, NAMES.filter(bool)), max_size=5))
def test_batch_match_keys_are_the_single_ones(people: list[tuple[str, date, str]]):
    protector = Protector(bytes(32))
    assert protector.match_keys(people) == [protector.match_key(*p) for p in people]


@given(DATES)
def test_the_sqlite_date_conversion_is_sqlalchemys(day: date):
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        convert = import_driver._converter(import_store.PEOPLE, "birth_date", connection)
        column_type = import_store.PEOPLE.c.birth_date.type
        processor = column_type.dialect_impl(engine.dialect).bind_processor(engine.dialect)
        assert processor is not None
        assert convert(day) == processor(day)
    engine.dispose()


def test_a_batch_of_refused_rows_crosses_the_pipe():
    parsed = import_worker.Parsed([], [(2, "person.invalid_name", "Bad name")], 1)
    receiver, sender = Pipe(duplex=False)
    offload.send(sender, ("batch", parsed))
    assert offload.receive(_Alive(), "test", receiver) == ("batch", parsed)


def test_a_script_is_hidden_from_the_spawned_parser_and_restored(monkeypatch):
    script = types.ModuleType("__main__")
    script.__file__ = "/usr/local/bin/fangkong"
    monkeypatch.setitem(sys.modules, "__main__", script)
    with offload.script_not_rerun():
        assert not hasattr(sys.modules["__main__"], "__file__")
    assert sys.modules["__main__"] is script


class _Alive:
    @staticmethod
    def is_alive() -> bool:
        return True
