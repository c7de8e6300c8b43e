"""References by e-mail: Rita and Rob are asked for one when Alex confirms, reminded after 7 and 14
days at most (once per stage, whatever the restarts), and answer on a signed page without an account."""

import re
from datetime import timedelta

from helpers_applications import an_application, run_job

from cervis import references, signed_links
from cervis.db import utcnow
from cervis.models import Email, Reference, StepDone
from conftest import emails_to


def link_in(email):
    return re.search(r"http://localhost(/reference/\S+)", email.body_text).group(1)


def test_each_referee_is_asked_once_with_a_link(app, db):
    application = an_application()
    assert references.ask(application) == 2
    assert references.ask(application) == 0  # asked already: no second e-mail
    for address, name in (("rita@example.net", "Rita Referee"), ("rob@example.net", "Rob Referee")):
        (email,) = emails_to(address, "reference-request")
        assert "Alex Applicant" in email.subject and name in email.body_text
        assert "/reference/" in email.body_html and "viewport" in email.body_html
    assert all(r.requested_at for r in Reference.select())


def test_a_referee_answers_and_the_step_is_done(app, client, db):
    application = an_application()
    references.ask(application)
    url = link_in(emails_to("rita@example.net", "reference-request")[0])
    page = client.get(url).get_data(as_text=True)
    assert "Reference for Alex Applicant" in page and "in confidence" in page
    response = client.post(
        url, data={"known_for": "3 years", "capacity": "Employer", "concerns": "no", "text": "Reliable and kind."}
    )
    assert response.status_code == 200 and "Thank You" in response.get_data(as_text=True)
    assert "Your reference for Alex Applicant has been received" in response.get_data(as_text=True)
    rita = Reference.get(number=1)
    assert rita.received_at and rita.known_for == "3 years" and rita.concerns is False
    assert [d.step.name for d in StepDone.select()] == ["Reference 1 received"]
    # A second answer changes nothing: the page only thanks them.
    client.post(url, data={"known_for": "1 day", "capacity": "x", "concerns": "yes"})
    assert Reference.get(number=1).known_for == "3 years"


def test_a_reference_with_a_missing_answer_is_refused_beside_the_field_and_keeps_what_was_typed(app, client, db):
    application = an_application()
    references.ask(application)
    url = link_in(emails_to("rita@example.net", "reference-request")[0])
    response = client.post(url, data={"known_for": "3 years", "capacity": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Please answer yes or no." in page and 'value="3 years"' in page
    assert Reference.get(number=1).received_at is None


def test_a_tampered_or_other_kind_of_link_opens_nothing(app, client, db):
    application = an_application()
    references.ask(application)
    url = link_in(emails_to("rita@example.net", "reference-request")[0])
    assert client.get(url[:-2] + ("AA" if not url.endswith("AA") else "BB")).status_code == 404
    other_kind = signed_links.CANCEL.make({"r": Reference.get(number=1).id})
    assert client.get(f"/reference/{other_kind}").status_code == 404
    assert (
        client.post(f"/reference/{other_kind}", data={"known_for": "x", "capacity": "y", "concerns": "no"}).status_code
        == 404
    )
    assert Reference.get(number=1).received_at is None


def test_a_link_to_a_withdrawn_application_says_no_reference_is_needed_and_takes_none(app, client, db):
    application = an_application()
    references.ask(application)
    url = link_in(emails_to("rita@example.net", "reference-request")[0])
    application.status = "withdrawn"
    application.save()
    assert "no longer needed" in client.get(url).get_data(as_text=True)
    client.post(url, data={"known_for": "3 years", "capacity": "Employer", "concerns": "no"})
    assert Reference.get(number=1).received_at is None


def test_reminders_after_7_and_14_days_at_most_once_each_across_restarts(app, db):
    application = an_application()
    references.ask(application)
    asked = utcnow()
    assert references.send_reminders(asked + timedelta(days=6)) == 0
    assert references.send_reminders(asked + timedelta(days=7, minutes=1)) == 2
    # The scheduler runs again (a restart, a second process): nothing twice.
    assert run_job(references.remind_referees, app, asked + timedelta(days=7, minutes=2)) == 0
    Reference.update(reminders=0).execute()  # as if the claim were lost: the e-mail's key still holds
    assert references.send_reminders(asked + timedelta(days=7, minutes=3)) == 0
    Reference.update(reminders=1).execute()
    assert run_job(references.remind_referees, app, asked + timedelta(days=14, minutes=1)) == 2
    assert references.send_reminders(asked + timedelta(days=60)) == 0  # never a third
    assert len(emails_to("rita@example.net", "reference-reminder")) == 2
    assert references.state(Reference.get(number=1)) == "reminded"


def test_no_reminder_once_the_reference_is_received(app, db):
    application = an_application()
    references.ask(application)
    references.receive(Reference.get(number=1), "2 years", "Teacher", False, "")
    assert references.send_reminders(utcnow() + timedelta(days=8)) == 1
    assert emails_to("rita@example.net", "reference-reminder") == []
    assert Email.select().where(Email.kind == "reference-reminder").count() == 1


def test_the_reminder_and_retention_jobs_are_scheduled_each_under_a_name_of_its_own():
    """A job's function name is its id in the scheduler: two alike and it adds none of the jobs."""
    from cervis import scheduler, vetting

    names = [fn.__name__ for fn, _ in scheduler.JOBS]
    assert len(set(names)) == len(names)
    assert {references.remind_referees, vetting.application_retention} <= {fn for fn, _ in scheduler.JOBS}
