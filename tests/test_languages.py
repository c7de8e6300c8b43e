"""Which language a person reads: their own choice on the profile, before log-in the log-in page's
switch, then the browser's Accept-Language, then the organisation's default; e-mails in the
recipient's language; dates through Babel except in the guide's English."""

from datetime import datetime

import pytest
from flask_babel import force_locale
from helpers_settings import settings

from cervis import emails
from cervis.models import Email, Organisation, User
from cervis.timeutil import local_date, slot_when, to_utc

WELSH_LOGIN, POLISH_LOGIN = "Mewngofnodi ag E-bost", "Zaloguj się e-mailem"


def test_the_log_in_page_switch_is_a_plain_link_that_remembers_the_choice(client):
    page = client.get("/login").text
    assert 'href="/language/cy?next=/login"' in page and ">Cymraeg</a>" in page
    answer = client.get("/language/cy?next=/login")
    assert answer.status_code == 303 and answer.headers["Location"] == "/login"
    page = client.get("/login").text
    assert WELSH_LOGIN in page and '<html lang="cy">' in page


def test_the_switch_goes_back_only_to_a_page_of_this_site(client):
    assert client.get("/language/pl?next=//evil.example/").headers["Location"] == "/login"


def test_an_unknown_language_is_not_found(client):
    assert client.get("/language/xx").status_code == 404


def test_before_log_in_the_browser_language_is_used(client):
    page = client.get("/login", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}).text
    assert POLISH_LOGIN in page


def test_the_switch_wins_over_the_browser_language(client):
    client.get("/language/cy")
    assert WELSH_LOGIN in client.get("/login", headers={"Accept-Language": "pl"}).text


def test_with_nothing_chosen_the_organisation_default_is_used(client, db):
    Organisation.update(language="cy").execute()
    assert WELSH_LOGIN in client.get("/login").text


def test_english_stays_the_guides_words_when_nothing_is_chosen(client):
    page = client.get("/login").text
    assert "Log in with E-mail" in page and '<html lang="en-GB">' in page


def test_a_volunteer_chooses_welsh_on_the_profile_and_every_page_follows(client, auth, db):
    auth.login()
    assert 'name="language"' in client.get("/portal/profile").text
    answer = client.post("/portal/profile/language", data={"language": "cy"})
    assert answer.status_code == 303
    assert User.by_email("vera@example.org").language == "cy"
    page = client.get("/portal/profile").text
    assert "Mae eich iaith wedi" in page and "Hafan y Porth" in page


def test_a_volunteers_own_choice_wins_over_the_browser(client, auth, db):
    User.update(language="pl").where(User.email == "vera@example.org").execute()
    auth.login()
    assert "Strona główna portalu" in client.get("/portal/profile", headers={"Accept-Language": "cy"}).text


def test_the_organisations_language_choice_goes_back_to_the_default(client, auth, db):
    User.update(language="pl").where(User.email == "vera@example.org").execute()
    auth.login()
    client.post("/portal/profile/language", data={"language": ""})
    assert User.by_email("vera@example.org").language == ""
    assert client.post("/portal/profile/language", data={"language": "xx"}).status_code == 400


def test_an_administrator_sets_the_organisations_default(client, auth, db):
    auth.login("ada@example.org")
    assert 'name="language"' in client.get("/admin/settings").text
    client.post("/admin/settings", data=settings(language="pl"))
    assert Organisation.current().language == "pl"
    assert client.post("/admin/settings", data=settings(language="xx")).status_code == 400


def test_an_email_is_written_in_its_recipients_language_whoever_sent_it(app, db):
    vera = User.by_email("vera@example.org")
    vera.language = "pl"
    with app.test_request_context(headers={"Accept-Language": "cy"}):
        email = emails.password_changed(vera)
    assert email.subject == "Hasło WHC CERVIS zostało zmienione"
    assert "Hasło do konta WHC CERVIS zostało właśnie zmienione" in Email.get_by_id(email.id).body_text


def test_an_email_to_someone_who_chose_nothing_is_in_the_organisations_language(app, db):
    Organisation.update(language="cy").execute()
    with app.test_request_context():
        email = emails.password_changed(User.by_email("vera@example.org"))
    assert email.subject == "Newidiwyd eich cyfrinair WHC CERVIS"


@pytest.mark.parametrize(
    ("language", "when", "day"),
    [
        ("en", "Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM", "Thu, Oct 9, 2025"),
        ("cy", "Iau, 9 Hyd 2025 - 18:00–21:00", "Iau, 9 Hyd 2025"),
        ("pl", "czw., 9 paź 2025 - 18:00–21:00", "czw., 9 paź 2025"),
    ],
)
def test_dates_keep_the_guides_english_and_follow_babel_in_welsh_and_polish(app, db, language, when, day):
    starts = to_utc(datetime(2025, 10, 9, 18, 0))
    ends = to_utc(datetime(2025, 10, 9, 21, 0))
    with app.test_request_context(), force_locale(language):
        assert slot_when(starts, ends) == when
        assert local_date(starts) == day
