"""A volunteer on a 360 px phone in Welsh and in Polish: the log-in page's switch, log in, sign up
for a slot and View or Cancel, with no English left on any page but names and the charity's texts."""

import re

import pytest
from babel.messages.pofile import read_po
from conftest import PASSWORD, serving
from helpers_rota import night, offer, opportunity, user

from cervis.languages import TRANSLATIONS
from cervis.models import REGISTERED, Group, Organisation, Role, User

WORDS = {
    "cy": dict(
        switch="Cymraeg",
        email="Cyfeiriad E-bost",
        password="Cyfrinair",
        log_in="Mewngofnodi ag E-bost",
        register="Cofrestru",
        cancel="Canslo'r cofrestriad(au) a ddewiswyd",
        done="Llwyddiannus",
    ),
    "pl": dict(
        switch="Polski",
        email="Adres e-mail",
        password="Hasło",
        log_in="Zaloguj się e-mailem",
        register="Zapisz się",
        cancel="Odwołaj zaznaczone zapisy",
        done="Zgłoszenie zostało wysłane",
    ),
}
# English that no Welsh or Polish sentence holds: its little words, and the guide's dates.
ENGLISH = re.compile(
    r"\b(?:the|and|your|you|for|with|please|Please|this|that|been|will)\b"
    r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b|\b\d{1,2}:\d\d [AP]M\b"
)


def _english_sentences():
    """Every English message of two words or more: none may show on a translated page."""
    with (TRANSLATIONS / "messages.pot").open("rb") as f:
        ids = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id]
    return [re.sub(r"%\(\w+\)s", "", i).strip(" .:,") for i in ids if len(i.split()) >= 2 and "%(" not in i[:3]]


SENTENCES = [s for s in _english_sentences() if len(s) >= 12 and "\n" not in s]


def _charity_words():
    names = [u.name for u in User.select()] + [g.name for g in Group.select()] + [r.name for r in Role.select()]
    org = Organisation.current()
    return sorted({*names, org.name, org.short_name, org.site_name, "Night Shelter"}, key=len, reverse=True)


def assert_no_english(page, charity):
    text = page.evaluate("document.body.innerText")
    for words in charity:
        text = text.replace(words, " ")
    left = [s for s in SENTENCES if s in text] + ENGLISH.findall(text)
    assert not left, f"English on {page.url}: {left[:10]}"


@pytest.fixture
def phone(browser, app):
    with serving(app, ports=range(19700, 19800)) as url:  # this branch's ports
        context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=url)
        yield context.new_page()
        context.close()


@pytest.mark.parametrize("language", ["cy", "pl"])
def test_a_volunteer_signs_up_and_cancels_in_welsh_and_in_polish(phone, db, language):
    opp = opportunity()
    night(3, "Cook")
    offer(user("vera@example.org"), night(5, "SL"), status=REGISTERED)
    charity = _charity_words()
    words, page = WORDS[language], phone

    page.goto("/login")
    page.get_by_role("link", name=words["switch"]).click()
    page.wait_for_selector(f'html[lang="{language}"]')
    assert_no_english(page, charity)
    page.get_by_label(words["email"]).fill("vera@example.org")
    page.get_by_label(words["password"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=words["log_in"]).click()
    page.wait_for_url(lambda url: "/login" not in url)
    assert_no_english(page, charity)

    page.goto(f"/portal/signup/slots?opportunity={opp.id}")
    assert_no_english(page, charity)
    page.locator("#slots input[name=slot]").first.check()
    page.get_by_role("button", name=words["register"], exact=True).click()
    page.locator("#answer", has_text=words["done"]).wait_for()
    assert_no_english(page, charity)

    page.goto("/portal/registrations")
    assert_no_english(page, charity)
    page.locator("input[name=registration]").last.check()
    page.get_by_role("button", name=words["cancel"]).click()
    page.locator("#answer").wait_for()
    assert_no_english(page, charity)
