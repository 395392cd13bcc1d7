"""The Chinese catalog is complete: every string marked for translation in Python and templates has a
non-fuzzy Chinese translation, and the compiled catalog matches the source catalog."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _committed() -> polib.POFile:
    assert PO.exists(), "run `make messages` to create the Chinese catalog"
    return polib.pofile(str(PO))


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are needed to extract strings")
def test_every_marked_string_has_a_chinese_translation(tmp_path: Path) -> None:
    """Extract afresh from a copy of the sources and compare with the committed catalog."""
    for part in ("manage.py", "config", "xieshang", "templates", "locale"):
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / part)
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "XIESHANG_VAR_DIR": str(tmp_path / "var"),
           "PATH": "/usr/bin:/bin", "SECRET_KEY": "i18n-extraction-only"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "--no-obsolete"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid): e for e in _committed()}
    missing = [e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed]
    untranslated = [e.msgid for e in fresh if (e.msgctxt, e.msgid) in committed and (
        "fuzzy" in committed[(e.msgctxt, e.msgid)].flags
        or not (committed[(e.msgctxt, e.msgid)].msgstr or all(committed[(e.msgctxt, e.msgid)].msgstr_plural.values())))]
    assert not missing, f"not in locale/zh_Hans (run make messages): {missing[:20]}"
    assert not untranslated, f"untranslated or fuzzy: {untranslated[:20]}"


def test_compiled_catalog_matches_the_source() -> None:
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in mo}
    for e in _committed().translated_entries():
        got = compiled.get((e.msgctxt, e.msgid))
        assert got is not None, f"not compiled: {e.msgid} (run make messages)"
        if e.msgid_plural:
            assert {int(k): v for k, v in got[1].items()} == {int(k): v for k, v in e.msgstr_plural.items()}
        else:
            assert got[0] == e.msgstr, e.msgid


def test_chinese_is_the_default_and_english_is_available(db) -> None:
    from django.test import Client

    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in to Xieshang" in page
    with translation.override("zh-hans"):
        assert translation.gettext("My tasks") == "我的待办"
