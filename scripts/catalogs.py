"""Re-extract messages and merge them into the zh_CN and en catalogs (``make i18n``).

New messages arrive untranslated; ``tests/test_i18n.py`` fails until both catalogs have them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "src" / "fangkong" / "locale"
PYBABEL = str(Path(sys.executable).parent / "pybabel")


def extract(pot: Path) -> set[str]:
    """Extract every marked message of code and templates into ``pot``; returns the msgids."""
    command = [PYBABEL, "extract", "-F", "babel.cfg", "-k", "N_", "-k", "_", "--no-location",
               "--sort-output", "--omit-header", "-o", str(pot), "."]  # fmt: skip
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def is_translated(message: Message) -> bool:
    """A message with a translation for every form (a plural has one per form), not fuzzy."""
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(forms) and all(forms) and not message.fuzzy


def main() -> int:
    pot = LOCALE_DIR / "messages.pot"
    extract(pot)
    subprocess.run(
        [
            PYBABEL,
            "update",
            "-i",
            str(pot),
            "-d",
            str(LOCALE_DIR),
            "--no-fuzzy-matching",
            "--ignore-obsolete",
            "--width=0",
        ],
        cwd=ROOT,
        check=True,
    )
    missing = 0
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            empty = [m.id for m in read_po(handle) if m.id and not is_translated(m)]
        missing += len(empty)
        for message in empty:
            print(f"{po.parent.parent.name}: untranslated: {message}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
