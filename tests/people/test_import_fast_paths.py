"""The shortcuts the import's parsing takes must give exactly what the plain paths give: the
check character without the library, ``idcard.read`` and ``validation.document_values``
without their objects, "under three" as one comparison, cached dates, bulk encryption, a batch
checked first and sealed afterwards, and a batch pickled without pickle's memo."""

from __future__ import annotations

import random
from datetime import date, timedelta
from multiprocessing import Pipe

import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import given
from hypothesis import strategies as st
from stdnum.iso7064 import mod_11_2

from fangkong.core import offload, security
from fangkong.core.errors import DomainError
from fangkong.models import IdType
from fangkong.people import errors, idcard, import_worker, validation
from fangkong.people.import_columns import RowParser, text_row
from fangkong.people.protect import ID_CONTEXT, PHONE_CONTEXT, Protector
from people.test_import import TODAY, resident_id, row

DIGITS = st.text(alphabet="0123456789", min_size=17, max_size=17)


@given(DIGITS)
def test_the_check_character_is_the_librarys(first17: str):
    assert idcard.check_character(first17) == mod_11_2.calc_check_digit(first17)


def numbers_to_read() -> list[str]:
    """Valid numbers and every kind of wrong one, with full-width and lowercase forms."""
    rng = random.Random(7)
    valid = [resident_id(seed, sex=rng.choice("12")) for seed in range(40)]
    wrong = [
        "",
        "123",
        "2301021990010112345",
        "23010219900101123Y",
        "２３０１０２１９９００１０１１２３x",
    ]
    for number in valid[:10]:
        first17 = number[:17]
        wrong.append(first17 + ("0" if number[-1] != "0" else "1"))  # checksum
    for first17 in ("00010219900101123", "23000019900101123", "23010219000229123",
                    "23010218991231123", "23010230000101123", "23010219901301123"):  # fmt: skip
        wrong.append(first17 + idcard.check_character(first17))
    return valid + [n.lower() for n in valid[:5]] + wrong


@pytest.mark.parametrize("number", numbers_to_read())
def test_read_gives_what_parse_gives(number: str):
    try:
        parsed = idcard.parse(number, today=TODAY)
    except DomainError as error:
        with pytest.raises(type(error)):
            idcard.read(number, today=TODAY)
        with pytest.raises(type(error)):  # the date cache keeps no failures
            idcard.read(number, today=TODAY)
        return
    for _ in range(2):  # the second time from the date cache
        assert idcard.read(number, today=TODAY) == (parsed.number, parsed.birth_date, parsed.sex)
    assert parsed.region_code == parsed.number[:6]


@pytest.mark.parametrize(
    ("kind", "number", "sex", "birth_date"),
    [
        (IdType.RESIDENT_ID, resident_id(1), None, None),
        (IdType.RESIDENT_ID, resident_id(1), "1", date(1980, 1, 2)),
        (IdType.RESIDENT_ID, resident_id(1), "2", None),
        (IdType.RESIDENT_ID, resident_id(1), None, date(1980, 1, 3)),
        (IdType.RESIDENT_ID, "bad", None, None),
        (IdType.PASSPORT, "e1234567", "1", date(1980, 1, 2)),
        (IdType.PASSPORT, "E1", "1", date(1980, 1, 2)),
        (IdType.PASSPORT, "E1234567", None, date(1980, 1, 2)),
        (IdType.PASSPORT, "E1234567", "1", None),
        (IdType.PASSPORT, "E1234567", "1", date(1899, 12, 31)),
        (IdType.HMT_RESIDENCE_PERMIT, "810000199001011234", "9", date(1990, 1, 1)),
    ],
)
def test_document_values_are_check_documents(kind, number, sex, birth_date):
    arguments = {"sex": sex, "birth_date": birth_date, "today": TODAY}
    try:
        document = validation.check_document(kind, number, **arguments)
    except DomainError as error:
        with pytest.raises(type(error)):
            validation.document_values(kind, number, **arguments)
        return
    values = validation.document_values(kind, number, **arguments)
    expected = (document.number, document.sex, document.birth_date, document.registration_code)
    assert values == expected


@pytest.mark.parametrize(
    "today",
    [date(2024, 2, 29), date(2024, 2, 28), date(2024, 3, 1), date(2023, 2, 28),
     date(2023, 3, 1), date(2025, 2, 28), date(2027, 2, 28), date(2027, 3, 1),
     date(2026, 12, 31), date(2028, 2, 29)],
)  # fmt: skip
def test_under_three_is_one_comparison_with_the_cutoff(today: date):
    """Every birth date of the four years before ``today``, leap days included."""
    cutoff = validation.third_birthday_cutoff(today)
    born = today - timedelta(days=4 * 366)
    while born <= today:
        assert (born > cutoff) == validation.is_under_three(born, today), born
        born += timedelta(days=1)


def test_bulk_encryption_opens_like_single_encryption():
    key = bytes(range(32))
    plaintexts = [f"1380000{n:04d}".encode() for n in range(50)]
    sealed = security.encrypt_many(key, plaintexts, context=PHONE_CONTEXT)
    assert [security.decrypt(key, s, context=PHONE_CONTEXT) for s in sealed] == plaintexts
    nonces = {s[: security.NONCE_BYTES] for s in sealed}
    assert len(nonces) == len(plaintexts)  # a fresh nonce per value
    assert len(sealed[0]) == len(security.encrypt(key, plaintexts[0], context=PHONE_CONTEXT))
    with pytest.raises(InvalidTag):  # the context is bound as associated data
        security.decrypt(key, sealed[0], context=ID_CONTEXT)
    assert security.encrypt_many(key, []) == []


def test_the_protectors_bulk_encryption_opens_with_its_own(protector: Protector):
    ids = protector.encrypt_ids([resident_id(1), resident_id(2)])
    phones = protector.encrypt_phones(["13800000001"])
    assert [protector.open_id(c) for c in ids] == [resident_id(1), resident_id(2)]
    assert protector.open_phone(phones[0]) == "13800000001"


@given(st.text(max_size=40), st.sampled_from(["id", "phone", "match"]))
def test_the_protectors_hash_is_the_keyed_hash(value: str, purpose: str):
    protector = Protector(bytes(32))
    expected = security.keyed_hash(protector.lookup_key, value, purpose=purpose)
    assert protector._hash(purpose, value) == expected


def mixed_rows() -> list[tuple[int, dict[str, str]]]:
    """Valid rows, each kind of refusal, an ID twice, rows with and without a phone."""
    rows = [
        row(1, key_group="cold_chain", household_ref="H1", is_head="是"),
        row(2, phone=""),
        row(3, id_number="bad"),
        row(4, birth_date="1980-13-01"),
        row(5, birth_date="1980/01/06"),
        row(6, birth_date="1980-01-08"),
        row(7, sex="女"),
        row(8, phone="12345"),
        row(9, elderly_alone="也许"),
        row(1, name="同号"),
        row(10, id_type="护照", id_number="E0000010", sex="男", birth_date="1980-01-11"),
        row(11, name=""),
        row(12, key_group="unknown"),
        row(13, is_head="是"),
        row(14, phone="+86 138-0000-0014", birth_date="1980-01-15 00:00:00"),
    ]
    return [(line, text_row(values)) for line, values in enumerate(rows, start=2)]


def test_a_batch_gives_what_its_rows_give_one_by_one(protector: Protector):
    parser = RowParser(protector=protector, today=TODAY)
    rows = mixed_rows()
    candidates, refused = parser.parse_batch(rows)
    expected_refused, seen = [], set()
    for line, values in rows:
        try:
            candidate = parser.parse(line, values)
        except DomainError as error:
            expected_refused.append((line, error.code, error.title))
            continue
        if candidate.id_hash in seen:
            duplicate = errors.DuplicateInFile
            expected_refused.append((line, duplicate.code, duplicate.title))
        seen.add(candidate.id_hash)
    assert sorted(refused) == sorted(expected_refused)
    assert [c.line for c in candidates] == [2, 3, 12, 16]
    one_by_one = [parser.parse(line, values) for line, values in rows if line in (2, 3, 12, 16)]
    assert [sealed_apart(c) for c in candidates] == [sealed_apart(c) for c in one_by_one]


def sealed_apart(candidate):
    """A candidate without its ciphertexts (fresh nonces each time), and what they open to."""
    values = list(candidate.values)
    id_text, phone_text = values[4], values[7]
    values[4] = values[7] = None
    return candidate._replace(values=tuple(values)), id_text is not None, phone_text is not None


def test_a_sealed_row_opens_to_what_was_entered(protector: Protector):
    parser = RowParser(protector=protector, today=TODAY)
    candidates, _ = parser.parse_batch(mixed_rows())
    last = candidates[-1]
    assert protector.open_id(last.values[4]) == resident_id(14)
    assert protector.open_phone(last.values[7]) == "13800000014"
    assert candidates[1].values[7:10] == (None, None, None)  # no phone: nothing sealed


def test_a_batch_crosses_the_pipe_without_the_memo_unchanged(protector: Protector):
    parser = RowParser(protector=protector, today=TODAY)
    rows = mixed_rows()
    parsed = import_worker.Parsed(*parser.parse_batch(rows), len(rows))
    receiver, sender = Pipe(duplex=False)
    offload.send(sender, ("batch", parsed))
    kind, again = offload.receive(_Alive(), "test", receiver)
    assert kind == "batch"
    assert again == parsed
    assert again.candidates[0].values[11] == date(1980, 1, 2)


class _Alive:
    @staticmethod
    def is_alive() -> bool:
        return True
