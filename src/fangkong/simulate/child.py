"""``python -m fangkong.simulate.child``: generate a city for ``simulate.city`` to write.

Reads one pickled ``CitySpec`` on standard input and writes the pickled messages of
``generate.generate`` on standard output. Only ``simulate.city`` starts it, and only it reads
what it writes.
"""

from __future__ import annotations

import pickle
import sys

from fangkong.simulate.generate import CitySpec, produce


def main() -> None:
    spec = pickle.load(sys.stdin.buffer)  # noqa: S301 - written by our own parent process
    if not isinstance(spec, CitySpec):
        raise SystemExit("expected a pickled CitySpec on standard input")
    produce(spec, sys.stdout.buffer)


if __name__ == "__main__":
    main()
