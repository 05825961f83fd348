"""Set zh-Hans translations from a JSON file {msgid: msgstr}, clearing their fuzzy flags.
A message with a context (pgettext) is keyed "context\u0004msgid", as gettext stores it.

    .venv/bin/python tools/set_translations.py translations.json
    .venv/bin/python manage.py makemessages -l zh_Hans --no-obsolete ...  # re-wraps the file

Lists what is still untranslated or fuzzy afterwards.
"""

import json
import sys
from pathlib import Path

import polib  # type: ignore[import-untyped]

CATALOG = Path(__file__).resolve().parents[1] / "locale/zh_Hans/LC_MESSAGES/django.po"


def main() -> None:
    wanted = json.loads(Path(sys.argv[1]).read_text()) if len(sys.argv) > 1 else {}
    po = polib.pofile(str(CATALOG))
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key in wanted:
            value = wanted[key]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    po.save(str(CATALOG))
    for entry in po:
        if not entry.translated() or "fuzzy" in entry.flags:
            print(f"{entry.linenum}: {entry.msgctxt or ''!r} {entry.msgid!r}")


if __name__ == "__main__":
    main()
