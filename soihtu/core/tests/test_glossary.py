"""Every page uses the glossary's words: each translated string that names a glossary idea in
English names it with the glossary's Finnish and Swedish word (by stem, so that inflected forms
count). A translator who writes "säkerhet" for confidence, or "OKR-toimisto" for the OKR office,
fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

# English pattern -> (Finnish stems, Swedish stems), from the project's glossary.
TERMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    r"\bkey results?\b": (("avaintulo",), ("nyckelresultat",)),
    r"\bobjectives?\b": (("tavoit",), ("mål",)),
    r"\bcheck-ins?\b(?! cadence)": (("tilannepäivity",), ("lägesuppdatering",)),
    r"\bconfidence\b": (("varmuu",), ("tilltro",)),
    r"\bprogress\b": (("edisty",), ("framsteg",)),
    r"\bscores?\b": (("arvosan",), ("betyg",)),
    r"\bcadence\b": (("päivitysrytm",), ("uppdateringsrytm",)),
    r"\btorchbearers?\b": (("soihdunkantaj",), ("fackelbärar",)),
    r"\bsupervisors?\b": (("esihenkil",), ("förm",)),
    r"\bmilestones?\b": (("virstanpylv",), ("milstolp",)),
    r"\bretrospectives?\b": (("retro",), ("retro",)),
    r"\blearning library\b": (("oppikirjasto",), ("lärdomsbibliotek",)),
    r"\bsuccess(es)?\b": (("onnistumi",), ("framgång",)),
    r"\bcycles?\b": (("jakso",), ("period",)),
    r"\bdivisions?\b": (("toimial",), ("verksamhetsområde",)),
    r"\bpractice dashboard\b": (("tilannekuv",), ("lägesbild",)),
    r"\bOKR office\b": (("okr-pääkäyttäj",), ("okr-huvudanvändar",)),
    r"\baudit trail\b": (("muutoshistoria",), ("ändringshistorik",)),
    r"\bfollow-up meeting\b": (("seurantapalaver",), ("uppföljningsmöte",)),
    r"\bsurvey\b": (("kysely",), ("enkät",)),
    r"\bproposals?\b": (("ehdotu",), ("förslag",)),
    r"\bline of sight\b": (("tavoiteketju",), ("målkedja",)),
    r"\bcommitted\b": (("sitov",), ("bindande",)),
    r"\baspirational\b": (("kunnianhimoi",), ("ambitiö",)),
    r"\boff track\b": (("jäljessä",), ("ligger efter",)),
}
# Strings where the English word is a file's column name, not the idea.
NOT_THE_IDEA = {"supervisor must be 1 or 0 (yes/no, kyllä/ei, true/false), not “%(value)s”"}
# Named placeholders carry their own words.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
# Words the glossary rules out: confidence is never "luottamus" (the theme trust) in Finnish,
# nor "säkerhet" (the theme security, trygghet) in Swedish.
NEVER = {"fi": (r"\bconfidence\b", "luottamu"), "sv": (r"\bconfidence\b", "säkerhet")}


def catalog(language: str) -> polib.POFile:
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(path))


def texts(entry: polib.POEntry) -> tuple[str, str]:
    english = " ".join([entry.msgid, entry.msgid_plural or ""])
    translated = entry.msgstr or " ".join(entry.msgstr_plural.values())
    return PLACEHOLDER.sub("", english), translated.lower()


@pytest.mark.parametrize(("language", "column"), [("fi", 0), ("sv", 1)])
def test_every_string_uses_the_glossary_words(language: str, column: int) -> None:
    wrong = []
    for entry in catalog(language):
        if entry.obsolete or entry.msgid in NOT_THE_IDEA:
            continue
        english, translated = texts(entry)
        for pattern, stems in TERMS.items():
            if re.search(pattern, english, re.IGNORECASE) and not any(
                stem in translated for stem in stems[column]
            ):
                wrong.append(f"{pattern}: {entry.msgid!r} -> {translated!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_confidence_never_borrows_a_theme_word(language: str) -> None:
    pattern, word = NEVER[language]
    clashes = [
        entry.msgid
        for entry in catalog(language)
        if re.search(pattern, texts(entry)[0], re.IGNORECASE) and word in texts(entry)[1]
    ]
    assert not clashes
