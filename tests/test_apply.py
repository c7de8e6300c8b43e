"""Apply to Volunteer: the public form, its refusals and limits, the confirmation link, the applicant's
own page and Withdraw my application. Personas: Alex the applicant; vera@example.org, a known volunteer."""

import re

import pytest
from conftest import emails_to
from helpers_parallel import post_at_once

from cervis import apply_pages
from cervis.models import (
    OPEN,
    UNCONFIRMED,
    WITHDRAWN,
    Application,
    AuditLog,
    Email,
    Frequency,
    Group,
    Reference,
    StepDone,
    Organisation,
    Throttle,
    User,
)

ALEX = "alex@example.net"


def alex(**changes):
    """Alex's form, as typed; changes replace fields (None leaves one out)."""
    form = {
        "first_name": "Alex",
        "last_name": "Applicant",
        "email": ALEX,
        "phone": "07700 900111",
        "groups": str(Group.get(Group.name == "Northside").id),
        "frequency": str(Frequency.ordered().first().id),
        "referee1_name": "Rita Referee",
        "referee1_email": "rita@example.net",
        "referee1_relationship": "My manager",
        "referee2_name": "Rob Referee",
        "referee2_email": "rob@example.net",
        "referee2_relationship": "My teacher",
        "privacy": "y",
        "website": "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def link_in(email):
    return re.search(r"http://localhost(/apply/\S+)", email.body_text).group(1)


def test_the_login_page_links_to_apply_to_volunteer(client):
    assert 'href="/apply"' in client.get("/login").get_data(as_text=True)


def test_the_apply_page_says_what_happens_next(client, db):
    page = client.get("/apply").get_data(as_text=True)
    assert "Apply to Volunteer" in page and "confirm your address" in page and "referees" in page


def test_applicant_applies_and_gets_a_confirmation_email(client, db):
    answer = client.post("/apply", data=alex())
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/apply/sent")
    application = Application.get(Application.email == ALEX)
    assert application.status == UNCONFIRMED and application.phone == "07700 900111"
    assert [r.name for r in Reference.select().order_by(Reference.number)] == ["Rita Referee", "Rob Referee"]
    [email] = emails_to(ALEX, "application-confirm")
    assert link_in(email).startswith("/apply/") and not emails_to("rita@example.net")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"first_name": ""}, "Please enter your first name."),
        ({"email": "not an address"}, "Please enter a valid e-mail address."),
        ({"phone": "12"}, "Please enter a phone number"),
        ({"groups": None}, "Please choose at least one place."),
        ({"groups": "999999"}, "Please choose at least one place."),
        ({"frequency": ""}, "Please choose how often."),
        ({"frequency": "9" * 30}, "Please choose how often."),
        ({"groups": "9" * 30}, "Please choose at least one place."),
        ({"referee1_email": ALEX}, "A referee cannot be you"),
        ({"referee2_email": "rita@example.net"}, "Please give two different referees."),
        ({"referee2_relationship": ""}, "Please say how your second referee knows you."),
        ({"privacy": None}, "Please accept the privacy policy to apply."),
        ({"first_name": "A" * 101}, "Please keep this to 100 characters or fewer."),
        ({"referee1_relationship": "x" * 201}, "Please keep this to 200 characters or fewer."),
        ({"last_name": "Line\nbreak"}, "Please keep this to one line"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_typed_is_lost(client, db, changes, message):
    answer = client.post("/apply", data=alex(**changes))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and message in page and 'class="field-error"' in page
    assert "Rita Referee" in page and "Rob Referee" in page  # what was typed is still there
    assert not Application.select().exists() and not emails_to(ALEX)


def test_the_honeypot_gets_the_same_answer_and_nothing_is_made(client, db):
    answer = client.post("/apply", data=alex(website="http://spam.example"))
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/apply/sent")
    assert not Application.select().exists() and not emails_to(ALEX)


def test_a_known_volunteers_address_gets_the_same_answer_and_an_email_instead(client, db):
    unknown = client.post("/apply", data=alex())
    known = client.post("/apply", data=alex(email="vera@example.org"))
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert client.get("/apply/sent").get_data(as_text=True).count("Check your e-mail") == 1
    assert not Application.select().where(Application.email == "vera@example.org").exists()
    [email] = emails_to("vera@example.org")
    assert email.kind == "application-has-account" and "already have" in email.body_text


def test_a_known_volunteers_address_typed_in_fullwidth_letters_is_the_same_address(client, db):
    """ "ｖｅｒａ@example.org" is Vera's address as approving an application would see it: she is told
    she already has an account, and no application (nor a second account) is made."""
    client.post("/apply", data=alex(email="\uff56\uff45\uff52\uff41@example.org"))
    assert not Application.select().exists()
    assert [e.kind for e in Email.select()] == ["application-has-account"]
    assert emails_to("vera@example.org")[0].kind == "application-has-account"


def test_a_deactivated_accounts_address_gets_the_same_answer_and_an_email_to_contact_us(client, db):
    """Their account is switched off, so "log in" would not work: the e-mail asks them to contact the
    organisation (which knows why it was switched off) instead, and no application is made."""
    User.update(active=False).where(User.email == "vera@example.org").execute()
    Organisation.update(contact_email="volunteer.enquiries@example.org").execute()
    unknown = client.post("/apply", data=alex())
    known = client.post("/apply", data=alex(email="vera@example.org"))
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert not Application.select().where(Application.email == "vera@example.org").exists()
    [email] = emails_to("vera@example.org")
    assert email.kind == "application-inactive-account" and "no longer active" in email.body_text
    assert "volunteer.enquiries@example.org" in email.body_text and "viewport" in email.body_html
    assert "log in" not in email.body_text.lower() and "/reset" not in email.body_text


def test_applying_again_before_confirming_sends_the_same_link_again(client, db):
    client.post("/apply", data=alex())
    client.post("/apply", data=alex(first_name="Alexandra"))
    first, second = emails_to(ALEX, "application-confirm")
    assert Application.select().count() == 1 and link_in(first) == link_in(second)


def test_too_many_applications_for_one_address_are_refused(client, db):
    for _ in range(apply_pages.APPLY_PER_EMAIL):
        assert client.post("/apply", data=alex()).status_code == 303
    answer = client.post("/apply", data=alex())
    assert answer.status_code == 429 and "Too many applications" in answer.get_data(as_text=True)
    assert "Rita Referee" in answer.get_data(as_text=True)


def test_parallel_applications_for_one_email_are_limited(live_server, db):
    codes = post_at_once(f"{live_server}/apply", [alex()] * 12)
    assert codes.count(303) == apply_pages.APPLY_PER_EMAIL and codes.count(429) == 12 - apply_pages.APPLY_PER_EMAIL
    assert len(emails_to(ALEX, "application-confirm")) == apply_pages.APPLY_PER_EMAIL


def test_parallel_applications_from_one_network_are_limited(live_server, db):
    forms = [alex(email=f"person{n}@example.net") for n in range(14)]
    codes = post_at_once(f"{live_server}/apply", forms)
    assert codes.count(303) == apply_pages.APPLY_PER_ADDRESS
    assert Throttle.select().where(Throttle.key.startswith("apply-addr:")).count() == apply_pages.APPLY_PER_ADDRESS


def test_the_confirmation_link_opens_the_application_and_shows_its_steps(client, db):
    client.post("/apply", data=alex())
    link = link_in(emails_to(ALEX, "application-confirm")[0])
    page = client.get(link).get_data(as_text=True)
    application = Application.get(Application.email == ALEX)
    assert application.status == OPEN and application.confirmed_at is not None
    assert "E-mail confirmed: done" in page and "Reference 1 received: not yet" in page
    assert "Withdraw my application" in page
    client.get(link)  # opened again: nothing changes
    assert StepDone.select().count() == 1


def test_the_referees_are_asked_when_the_applicant_confirms_their_address_and_never_before(client, db):
    client.post("/apply", data=alex())
    assert Email.select().where(Email.kind == "reference-request").count() == 0
    link = link_in(emails_to(ALEX, "application-confirm")[0])
    client.get(link)
    client.get(link)  # opened again: nobody asked twice
    asked = Email.select().where(Email.kind == "reference-request")
    assert asked.count() == 2 and Reference.select().where(Reference.requested_at.is_null()).count() == 0


def test_the_applicants_page_never_shows_a_references_content(client, db):
    client.post("/apply", data=alex())
    link = link_in(emails_to(ALEX, "application-confirm")[0])
    client.get(link)
    Reference.update(text="Secret words", received_at=Reference.requested_at).execute()
    assert "Secret words" not in client.get(link).get_data(as_text=True)


def test_a_tampered_link_opens_nothing(client, db):
    client.post("/apply", data=alex())
    link = link_in(emails_to(ALEX, "application-confirm")[0])
    assert client.get(link[:-2] + "xx").status_code == 404
    assert client.post(link[:-2] + "xx/withdraw").status_code == 404
    assert Application.get().status == UNCONFIRMED


def test_applicant_withdraws_and_it_is_audited(client, db):
    client.post("/apply", data=alex())
    link = link_in(emails_to(ALEX, "application-confirm")[0])
    client.get(link)
    answer = client.post(f"{link}/withdraw")
    assert answer.status_code == 303
    assert Application.get().status == WITHDRAWN
    assert AuditLog.get(AuditLog.action == "application withdrawn").object_id == Application.get().id
    page = client.get(link).get_data(as_text=True)
    assert "Withdrawn by you" in page and "Withdraw my application" not in page


def test_withdraw_rejects_get(client, db):
    client.post("/apply", data=alex())
    link = link_in(emails_to(ALEX, "application-confirm")[0])
    assert client.get(f"{link}/withdraw").status_code == 405


def test_the_demo_has_the_default_steps_and_two_applications_in_progress(db):
    from cervis import demo
    from cervis.models import RecruitmentStep

    demo.load()
    assert [s.name for s in RecruitmentStep.ordered()][
        0
    ] == "E-mail confirmed" and RecruitmentStep.select().count() == 6
    priya, quinn = Application.select().where(Application.status == OPEN).order_by(Application.first_name)
    assert StepDone.select().where(StepDone.application == priya).count() == 2
    assert Reference.get(Reference.application == priya, Reference.number == 2).received_at is None
    assert StepDone.select().where(StepDone.application == quinn).count() == 6


def test_a_refused_form_keeps_the_chosen_place_and_frequency(client, db):
    page = client.post("/apply", data=alex(privacy=None)).get_data(as_text=True)
    frequency = Frequency.ordered().first()
    assert re.search(rf'<option selected value="{frequency.id}"|<option value="{frequency.id}" selected', page)
    assert re.search(r'name="groups" value="\d+"\s*checked', page)


def test_a_decided_application_cannot_be_withdrawn(client, db):
    from cervis.models import APPROVED

    client.post("/apply", data=alex())
    link = link_in(emails_to(ALEX, "application-confirm")[0])
    client.get(link)
    Application.update(status=APPROVED).execute()
    page = client.get(link).get_data(as_text=True)
    assert "Approved: welcome!" in page and "Withdraw my application" not in page
    client.post(f"{link}/withdraw")
    assert (
        Application.get().status == APPROVED
        and not AuditLog.select().where(AuditLog.action == "application withdrawn").exists()
    )
