"""Every page and e-mail in the reader's language: nothing shown that went round gettext, the Welsh
and Polish catalogues complete, and the compiled catalogues the ones their sources make."""

import ast
import gettext
import io
import re
from pathlib import Path

import pytest
from flask import g
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from helpers_i18n import PSEUDO, TEMPLATE, charity_words, pseudo_catalogue, untranslated, visible_text

from cervis import demo, email_previews
from cervis.languages import TRANSLATIONS
from cervis.models import ALL, Organisation, User

SHIPPED = ("cy", "pl")
ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# Strings known to be unmarked, "page<TAB>string", one a line: the lead's list to mark after merging
# other branches. It may only shrink: a line no longer found fails too, so it is taken out.
LEDGER = Path(__file__).with_name("untranslated.txt")


def _catalogue(code):
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=code)


def _template_ids():
    with TEMPLATE.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_is_translated_in_welsh_and_polish(code):
    catalogue, wanted = _catalogue(code), _template_ids()
    found = {m.id: m for m in catalogue if m.id}
    missing = sorted(str(i) for i in wanted if i not in found or not _complete(found[i], catalogue.num_plurals))
    assert not missing, f"{len(missing)} messages not translated in {code}:\n" + "\n".join(missing[:40])
    fuzzy = sorted(str(m.id) for m in found.values() if m.fuzzy and m.id in wanted)
    assert not fuzzy, f"fuzzy in {code} (check, then drop the flag): {fuzzy[:20]}"


def _complete(message, num_plurals):
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return len(strings) == (num_plurals if isinstance(message.id, tuple) else 1) and all(s.strip() for s in strings)


@pytest.mark.parametrize("code", SHIPPED)
def test_each_translation_keeps_the_placeholders_of_its_message(code):
    """Every name the English fills in, and no other; only the English plural ending ("%(value)s"
    standing for "s") may be left out, since Welsh and Polish do not make plurals that way."""
    wrong = []
    for m in _catalogue(code):
        if m.id and m.string:
            source = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            wanted = set(PLACEHOLDER.findall(" ".join(source)))
            # The English plural ending may go, and a plural's count where its form says "one" in words.
            needed = {name for name in wanted if not re.fullmatch(r"value\d*", name)}
            needed -= {"num"} if isinstance(m.id, tuple) else set()
            wrong += [(m.id, s) for s in strings if not needed <= set(PLACEHOLDER.findall(s)) <= wanted]
    assert not wrong, wrong[:20]


@pytest.mark.parametrize(("code", "forms"), [("cy", 6), ("pl", 3)])
def test_welsh_has_six_plural_forms_and_polish_three(code, forms):
    assert _catalogue(code).num_plurals == forms


@pytest.mark.parametrize("code", SHIPPED)
def test_the_compiled_catalogue_is_the_one_its_source_makes(code):
    """The .mo files are committed, so a fresh install needs no compile step: after editing a .po,
    `pybabel compile -d cervis/translations` (the README's Translating)."""
    made = io.BytesIO()
    write_mo(made, _catalogue(code))
    made.seek(0)
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        shipped = gettext.GNUTranslations(f)._catalog
    assert gettext.GNUTranslations(made)._catalog == shipped, f"run: pybabel compile -d cervis/translations -l {code}"


def test_the_catalogue_template_holds_every_marked_string():
    """After marking a string: `pybabel extract` then `pybabel update` (the README's Translating)."""
    method_map = [("cervis/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    keywords = {"gettext": None, "lazy_gettext": None, "ngettext": (1, 2), "_": None, "N_": None}
    found = {m[2] if isinstance(m[2], str) else m[2] for m in extract_from_dir(ROOT, method_map, keywords=keywords)}
    found = {f if isinstance(f, str) else f[0] for f in found}
    shipped = {i if isinstance(i, str) else i[0] for i in _template_ids()}
    assert not found - shipped, f"not in messages.pot: {sorted(found - shipped)[:20]}"


def test_the_catalogue_template_holds_nothing_the_code_no_longer_marks():
    """A message still shown but marked nowhere (handed to gettext in a variable) would be dropped by
    the next `pybabel update`, and shown in English from then on. The README's extraction: Babel's
    default keywords and lazy_gettext."""
    from babel.messages.extract import DEFAULT_KEYWORDS

    method_map = [("cervis/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "ngettext": (1, 2)}
    found = {m[2] if isinstance(m[2], str) else m[2][0] for m in extract_from_dir(ROOT, method_map, keywords=keywords)}
    shipped = {i if isinstance(i, str) else i[0] for i in _template_ids()}
    assert not shipped - found, f"marked nowhere: {sorted(shipped - found)[:20]}"


# The pseudo-language: every page and e-mail, with every word outside ⟦ ⟧ named ----------------------


@pytest.fixture
def pseudo(app, db, tmp_path):
    app.config["LANGUAGES"] = (*app.config["LANGUAGES"], PSEUDO)
    app.extensions["babel"].translation_directories.append(str(pseudo_catalogue(tmp_path)))
    demo.load()
    User.update(language=PSEUDO).execute()
    Organisation.update(language=PSEUDO).execute()
    g.pop("org", None)  # read again with its new language
    g.pop("_flask_babel", None)
    return _charity_texts()


def _charity_texts():
    """Every text the charity itself wrote (names, places, its terms): not ours to translate."""
    texts = set()
    for model in ALL:
        fields = [f for f in model._meta.sorted_fields if f.field_type in ("VARCHAR", "TEXT")]
        for row in model.select(*fields).tuples():
            texts.update(v for v in row if isinstance(v, str) and len(v) > 1)
            texts.update(line.strip() for v in row if isinstance(v, str) for line in v.splitlines() if line.strip())
    texts.update(SAMPLES)
    return charity_words(texts)


# What the e-mail previews' sample people, places and leaders typed (cervis/email_previews.py).
SAMPLES = ("Vera Volunteer", "Leo Leader", "Night Shelter", "Northside", "1 North Street", "Cook", "Vera", "Leo")
SAMPLES += ("Double booked", "The hall is closed for repairs.", "See you soon.", "Thank you all for last week.")
SAMPLES += ("Sample2345abc", "Safeguarding", "Shift Asst", "Reserve")
PERSONAS = {"admin.": "admin@example.org", "leader.": "leader@example.org"}


def _pages(app):
    """(endpoint, address) of every page that needs nothing but a log-in to draw. Not the API's: its
    reference (/api/docs) is drawn from the OpenAPI document, written in English for integrators like
    the JSON's own field names."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static" or "brand." in rule.endpoint or rule.endpoint.startswith("api."):
            continue
        if "GET" in rule.methods and not rule.arguments:
            yield rule.endpoint, rule.rule


def test_no_page_shows_a_word_that_was_not_marked_for_translation(app, client, pseudo):
    found = []
    for who in (None, "alex@example.org", "leader@example.org", "admin@example.org"):
        client.post("/logout")
        client.set_cookie("language", PSEUDO)
        if who:
            client.post("/login", data={"email": who, "password": demo.PASSWORD})
        for endpoint, address in _pages(app):
            if who != PERSONAS.get(endpoint.partition(".")[0] + ".", "alex@example.org") and who is not None:
                continue
            answer = client.get(address)
            if answer.status_code == 200 and answer.mimetype == "text/html":
                found += [(address, run) for run in untranslated(visible_text(answer.text), pseudo)]
    _compare_with_ledger(found, "/")


def test_no_email_says_a_word_that_was_not_marked_for_translation(app, pseudo):
    found = []
    with app.test_request_context():
        for kind in email_previews.kinds():
            letter = email_previews.preview(kind)
            if letter is not None:
                subject, text, html = letter
                words = untranslated(subject, pseudo) + untranslated(text, pseudo)
                words += untranslated(visible_text(html), pseudo)
                found += [(f"e-mail {kind}", run) for run in words]
    _compare_with_ledger(found, "e-mail")


# Dates move with the day the demo is built: in the ledger each number, day and month is "#", in
# English and in the pseudo-language's own (Esperanto's) weekdays, "lu, 7 Dec".
DATE_WORDS = re.compile(
    r"\d+|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b"
    r"|\b(?:lundo|mardo|merkredo|ĵaŭdo|vendredo|sabato|dimanĉo)\b|\b(?:lu|ma|me|ĵa|ve|sa|di)(?=,)"
)


def _compare_with_ledger(found, prefix):
    lines = LEDGER.read_text().splitlines()
    known = {tuple(line.split("\t", 1)) for line in lines if line.startswith(prefix)}
    found = {(where, DATE_WORDS.sub("#", words)) for where, words in found}
    new = sorted(found - known)
    gone = sorted(known - found)
    assert not new, "Mark these for translation (page, then the words shown in English):\n" + "\n".join(
        f"{where}\t{words}" for where, words in new
    )
    assert not gone, "Marked now: take these lines out of tests/untranslated.txt:\n" + "\n".join(
        f"{where}\t{words}" for where, words in gone
    )


# Python: every message handed to the reader goes through gettext ------------------------------------

# The calls whose argument (by position) a person reads: a banner, a refusal, a field's error.
SHOWN = {"flash": 0, "Refused": 0, "NotAllowed": 0, "ValidationError": 0, "answered": 1, "done": 2, "answer_now": 0}
SHOWN.update(_done=0, _row_done=2)  # the pages' own short-hands for done()


def _bare_messages(path):
    """(line, text) of each string literal or f-string given straight to one of SHOWN."""
    tree = ast.parse(path.read_text())
    for call in ast.walk(tree):
        if isinstance(call, ast.Call):
            name = getattr(call.func, "attr", getattr(call.func, "id", ""))
            place = SHOWN.get(name)
            if place is not None and len(call.args) > place:
                arg = call.args[place]
                if isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    yield call.lineno, ast.unparse(arg)[:80]


def test_no_python_message_reaches_a_reader_without_gettext():
    found = [
        f"{path.relative_to(ROOT)}:{line}\t{text}"
        for path in sorted((ROOT / "cervis").rglob("*.py"))
        for line, text in _bare_messages(path)
    ]
    assert not found, "Wrap these in gettext():\n" + "\n".join(found)


@pytest.mark.parametrize("days", [None, 0, 1, 5])
def test_the_portal_counters_are_translated_whatever_the_next_shift(app, pseudo, days):
    """The demo's next shift moves with the calendar, so the page sweep above sees one of these."""
    from types import SimpleNamespace

    from flask import render_template

    with app.test_request_context("/portal/"):
        html = render_template("_counters.html", totals=SimpleNamespace(hours=3.0, activities=2, days=days))
    assert not untranslated(visible_text(html), pseudo)


@pytest.mark.parametrize("case", ["cancelled", "called off", "never confirmed"])
def test_a_past_offers_status_is_translated_whatever_became_of_it(app, pseudo, case):
    """The demo's past list holds whichever of these the calendar has reached: each is drawn here."""
    from datetime import datetime
    from types import SimpleNamespace

    from cervis.cancellation import past_status
    from cervis.models import CANCELLED, PENDING

    now = datetime(2026, 1, 10, 12)
    slot = SimpleNamespace(called_off=lambda: case == "called off", ends_at=datetime(2026, 1, 9, 22))
    reg = SimpleNamespace(
        status=CANCELLED if case == "cancelled" else PENDING,
        cancelled_at=datetime(2026, 1, 8, 9),
        cancel_reason="Ill",
        cancelled_by_id=1,
        slot=slot,
    )
    with app.test_request_context("/portal/registrations/past"):
        words = " ".join(past_status(reg, now, household={1}))
    assert not untranslated(words.replace("Ill", ""), pseudo)
