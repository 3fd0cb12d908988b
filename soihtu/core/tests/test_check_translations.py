"""The translations check reads every entry, those with a context (msgctxt) included: a
short word translated once as a verb must also be translated where it is a noun."""

from __future__ import annotations

from pathlib import Path

from soihtu.core.management.commands.check_translations import catalog_problems

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'

COMPLETE = {
    "fi": """
msgid "Change"
msgstr "Vaihda"

msgctxt "column: how much a value changed"
msgid "Change"
msgstr "Muutos"

msgid "%(n)s answer"
msgid_plural "%(n)s answers"
msgstr[0] "%(n)s vastaus"
msgstr[1] "%(n)s vastausta"
""",
    "sv": """
msgid "Change"
msgstr "Byt"

msgctxt "column: how much a value changed"
msgid "Change"
msgstr "Förändring"

msgid "%(n)s answer"
msgid_plural "%(n)s answers"
msgstr[0] "%(n)s svar"
msgstr[1] "%(n)s svar"
""",
}


def _locale(tmp_path: Path, catalogs: dict[str, str]) -> Path:
    for language, body in catalogs.items():
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "django.po").write_text(HEADER + body, encoding="utf-8")
    return tmp_path


def test_complete_catalogs_pass(tmp_path: Path) -> None:
    assert catalog_problems(_locale(tmp_path, COMPLETE)) == []


def test_an_untranslated_entry_with_a_context_fails_and_is_named_with_it(tmp_path: Path) -> None:
    fi = COMPLETE["fi"].replace('msgstr "Muutos"', 'msgstr ""')

    problems = catalog_problems(_locale(tmp_path, {**COMPLETE, "fi": fi}))

    assert problems == [
        "fi: missing: 'Change' (context 'column: how much a value changed')",
    ]


def test_a_fuzzy_entry_with_a_context_fails(tmp_path: Path) -> None:
    sv = COMPLETE["sv"].replace('msgctxt "column', '#, fuzzy\nmsgctxt "column')

    problems = catalog_problems(_locale(tmp_path, {**COMPLETE, "sv": sv}))

    assert problems == ["sv: fuzzy: 'Change' (context 'column: how much a value changed')"]


def test_the_same_msgid_without_a_context_is_checked_on_its_own(tmp_path: Path) -> None:
    sv = COMPLETE["sv"].replace('msgstr "Byt"', 'msgstr ""')

    assert catalog_problems(_locale(tmp_path, {**COMPLETE, "sv": sv})) == ["sv: missing: 'Change'"]


def test_a_missing_plural_form_fails(tmp_path: Path) -> None:
    fi = COMPLETE["fi"].replace('msgstr[1] "%(n)s vastausta"', 'msgstr[1] ""')

    assert catalog_problems(_locale(tmp_path, {**COMPLETE, "fi": fi})) == [
        "fi: missing: '%(n)s answer'"
    ]
