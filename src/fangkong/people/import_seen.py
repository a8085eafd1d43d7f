"""What one import run has written, kept in memory in a few megabytes whatever the file's size.

``SeenIds``: one bit per person id the run inserted or matched, so that an ID number repeated
later in the file is refused (earlier batches are already in the database).

``SeenHashes``: one bit per keyed hash the run inserted, at a position taken from the hash
itself (the hashes are HMAC-SHA256 outputs, so their leading bits are uniform). A clear bit
proves the hash is not among them; a set bit only says it may be, and the caller then asks the
database. When the table was empty as the run began and the run holds it alone, only those few
rows need a lookup instead of every row.
"""

from __future__ import annotations

from collections.abc import Iterable


class SeenIds:
    """The people this run inserted or matched: one bit per id (ids come from a sequence, so
    10 million people take 1.25 MB); the rare id beyond ``BITMAP_IDS`` goes to a set."""

    BITMAP_IDS = 1 << 30

    def __init__(self) -> None:
        self.bits = bytearray()
        self.beyond: set[int] = set()

    def add(self, person_id: int) -> None:
        if person_id >= self.BITMAP_IDS:
            self.beyond.add(person_id)
            return
        index = person_id >> 3
        if index >= len(self.bits):
            self.bits.extend(bytes(index - len(self.bits) + 4096))
        self.bits[index] |= 1 << (person_id & 7)

    def __contains__(self, person_id: int) -> bool:
        if person_id >= self.BITMAP_IDS:
            return person_id in self.beyond
        index = person_id >> 3
        return index < len(self.bits) and bool(self.bits[index] & (1 << (person_id & 7)))


class SeenHashes:
    """A one-probe Bloom filter of hex keyed hashes: ``2**BITS`` bits (8 MB).

    With a million hashes in it, about 1.5 % of other hashes find their bit set (with ten
    million, 14 %): those are the rows the caller still looks up.
    """

    BITS = 26
    HEX_DIGITS = 7  # 28 bits, of which the low ``BITS`` are used

    def __init__(self) -> None:
        self.bits = bytearray(1 << (self.BITS - 3))
        self.mask = (1 << self.BITS) - 1

    def add_all(self, hashes: Iterable[str]) -> None:
        bits, mask, digits = self.bits, self.mask, self.HEX_DIGITS
        for value in hashes:
            position = int(value[:digits], 16) & mask
            bits[position >> 3] |= 1 << (position & 7)

    def maybe(self, value: str) -> bool:
        """False: certainly not added. True: perhaps added (ask the database)."""
        position = int(value[: self.HEX_DIGITS], 16) & self.mask
        return bool(self.bits[position >> 3] & (1 << (position & 7)))
