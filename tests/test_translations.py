"""Every user-visible string has its zh-Hans translation (the default language)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def untranslated(catalog: polib.POFile) -> list[str]:
    return [
        e.msgid for e in catalog if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]


def test_the_committed_catalog_is_complete():
    assert CATALOG.exists(), "run: manage.py makemessages -l zh_Hans"
    assert untranslated(polib.pofile(str(CATALOG))) == []


@pytest.mark.slow
def test_no_string_in_the_code_is_missing_from_the_catalog(tmp_path):
    """makemessages over a copy of the code adds nothing untranslated to a copy of the catalog."""
    skip = shutil.ignore_patterns("__pycache__", "vendor", "*.mo")
    for part in ("lianluo", "config", "locale"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=skip)
    shutil.copy(ROOT / "manage.py", tmp_path)
    locale = tmp_path / "locale"
    env = {**os.environ, "LOCALE_DIR": str(locale), "PYTHONPATH": str(tmp_path)}
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            ".venv",
            "--ignore",
            "node_modules",
            "--ignore",
            "tests",
            "--ignore",
            "bench",
            "-v",
            "0",
        ],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    fresh = polib.pofile(str(locale / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = untranslated(fresh)
    assert missing == [], f"{len(missing)} strings lack a zh-Hans translation: {missing[:20]}"
