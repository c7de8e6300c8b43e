"""The applications queue, steps, Approve and Decline. Alex applies to Northside (Leo leads it);
Olga leads Southside and sees nothing of it; Ada administers all."""

from datetime import timedelta

from helpers_applications import an_application, run_job, the_steps

from cervis import references, vetting
from cervis.db import utcnow
from cervis.models import (
    APPROVED,
    DECLINED,
    OPEN,
    Application,
    AuditLog,
    Group,
    Membership,
    Profile,
    Qualification,
    QualificationGrant,
    RecruitmentStep,
    Reference,
    Role,
    RoleRequirement,
    StepDone,
    User,
)
from conftest import PASSWORD, emails_to, hashed


def test_the_leader_sees_the_queue_oldest_first_with_each_step(app, auth, client, db):
    older = an_application(first="Alex", created_at=utcnow() - timedelta(days=3))
    an_application(first="Bea", email="bea@example.net")
    an_application(group="Southside", first="Sol", email="sol@example.net")
    auth.login("leo@example.org")
    page = client.get("/leader/applications").get_data(as_text=True)
    assert page.index("Alex") < page.index("Bea") and "Sol" not in page
    assert "To do: Induction attended" in page and "DBS check" not in page
    StepDone.create(application=older, step=the_steps()["Induction attended"])
    assert "Done: Induction attended" in client.get("/leader/applications").get_data(as_text=True)


def test_the_queue_filters_by_group_and_state(app, auth, client, db):
    an_application(first="Alex")
    an_application(group="Southside", first="Sol", email="sol@example.net")
    an_application(first="Dee", email="dee@example.net", status=DECLINED)
    auth.login("ada@example.org")
    assert "Sol" in client.get("/leader/applications").get_data(as_text=True)
    south = Group.get(name="Southside").id
    page = client.get(f"/leader/applications?group={south}").get_data(as_text=True)
    assert "Sol" in page and "Alex" not in page
    page = client.get("/leader/applications?state=declined").get_data(as_text=True)
    assert "Dee" in page and "Alex" not in page


def test_a_leader_of_another_group_is_refused_the_application(app, auth, client, db):
    application = an_application()
    references.receive(Reference.get(number=1), "3 years", "Employer", False, "CONFIDENTIAL-WORDS")
    auth.login("olga@example.org")
    base = f"/leader/applications/{application.id}"
    assert client.get(base).status_code == 403
    step = the_steps()["Induction attended"]
    for url in (f"{base}/steps/{step.id}", f"{base}/approve", f"{base}/decline"):
        assert client.post(url).status_code == 403
    assert client.get("/leader/applications/999999").status_code == 404
    assert (
        Application.get_by_id(application.id).status == OPEN
        and not StepDone.select().where(StepDone.step == step).exists()
    )


def test_a_volunteer_is_refused_the_queue(app, auth, client, db):
    an_application()
    auth.login("vera@example.org")
    assert client.get("/leader/applications").status_code == 403


def test_the_leader_reads_the_references_and_their_state(app, auth, client, db):
    application = an_application()
    references.ask(application)
    references.receive(Reference.get(number=1), "3 years", "Employer", False, "Reliable and kind.")
    auth.login("leo@example.org")
    page = client.get(f"/leader/applications/{application.id}").get_data(as_text=True)
    assert "Reliable and kind." in page and "Received" in page and "Requested" in page
    assert "done" in page and "by CERVIS" in page  # the reference's step, ticked by the system


def test_a_leader_marks_a_manual_step_done_with_a_note_audited(app, auth, client, db):
    application = an_application()
    step = the_steps()["Induction attended"]
    auth.login("leo@example.org")
    response = client.post(f"/leader/applications/{application.id}/steps/{step.id}", data={"note": "Came on Monday"})
    assert response.status_code == 303
    done = StepDone.get(step=step)
    assert done.done_by.email == "leo@example.org" and done.note == "Came on Monday"
    assert AuditLog.select().where(AuditLog.action == "application.step").count() == 1
    page = client.get(f"/leader/applications/{application.id}").get_data(as_text=True)
    assert "Leo Leader" in page and "Came on Monday" in page
    client.post(f"/leader/applications/{application.id}/steps/{step.id}", data={"note": "again"})
    assert StepDone.select().where(StepDone.step == step).count() == 1


def test_a_reference_step_is_not_ticked_by_hand(app, auth, client, db):
    application = an_application()
    step = the_steps()["Reference 1 received"]
    auth.login("leo@example.org")
    client.post(f"/leader/applications/{application.id}/steps/{step.id}")
    assert not StepDone.select().exists()


def test_the_dbs_step_counts_only_where_a_chosen_role_needs_a_check(app, auth, client, db):
    application = an_application()
    auth.login("leo@example.org")
    assert "DBS check" not in client.get(f"/leader/applications/{application.id}").get_data(as_text=True)
    dbs = Qualification.create(name="Enhanced DBS", criminal_record_check=True)
    RoleRequirement.create(role=Role.get(group=Group.get(name="Southside"), name="SL"), qualification=dbs)
    assert "DBS check" not in client.get(f"/leader/applications/{application.id}").get_data(as_text=True)
    RoleRequirement.create(role=Role.get(group=Group.get(name="Northside"), name="SL"), qualification=dbs)
    assert "DBS check" in client.get(f"/leader/applications/{application.id}").get_data(as_text=True)


def test_approve_makes_the_account_memberships_and_qualifications_once(app, auth, client, db):
    application = an_application()
    steps = the_steps()
    induction = Qualification.create(name="Induction attended")
    StepDone.create(application=application, step=steps["Induction attended"])
    assert User.get_or_none(User.email == "alex@example.net") is None  # nobody has an account before approval
    auth.login("leo@example.org")
    response = client.post(f"/leader/applications/{application.id}/approve")
    assert response.status_code == 303
    alex = User.get(User.email == "alex@example.net")
    assert (alex.first_name, alex.last_name, alex.must_change_password) == ("Alex", "Applicant", True)
    profile = Profile.get(user=alex)
    assert profile.mobile == "07700 900555" and profile.frequency_id == application.frequency_id
    assert [m.group.name for m in Membership.select().where(Membership.user == alex)] == ["Northside"]
    assert [g.qualification_id for g in QualificationGrant.select().where(QualificationGrant.volunteer == alex)] == [
        induction.id
    ]
    found = Application.get_by_id(application.id)
    assert found.status == APPROVED and found.user_id == alex.id and found.decided_by.email == "leo@example.org"
    (welcome,) = emails_to("alex@example.net", "welcome")
    assert "Don't Know Password / Reset Password" in welcome.body_text and "Temporary password:" in welcome.body_text
    assert AuditLog.select().where(AuditLog.action == "application.approve").count() == 1
    # Approving twice does nothing twice.
    client.post(f"/leader/applications/{application.id}/approve")
    assert User.select().where(User.email == "alex@example.net").count() == 1
    assert len(emails_to("alex@example.net", "welcome")) == 1
    assert AuditLog.select().where(AuditLog.action == "application.approve").count() == 1


def test_the_new_volunteer_logs_in_with_the_welcome_password(app, auth, client, db):
    from conftest import temp_password_in

    application = an_application()
    auth.login("ada@example.org")
    client.post(f"/leader/applications/{application.id}/approve")
    auth.logout()
    response = auth.login("alex@example.net", temp_password_in(emails_to("alex@example.net", "welcome")[0]))
    assert response.status_code in (302, 303) and "/login" not in response.headers["Location"]


def test_decline_sends_the_kind_email_the_administrator_wrote_once(app, auth, client, db):
    from cervis.models import EmailOpening

    EmailOpening.create(kind="application-declined", text="Thank you, {organisation}, but not this time.")
    application = an_application()
    auth.login("leo@example.org")
    assert client.post(f"/leader/applications/{application.id}/decline").status_code == 303
    (email,) = emails_to("alex@example.net", "application-declined")
    assert "Thank you, Wycombe Example Connection, but not this time." in email.body_text
    assert "viewport" in email.body_html
    assert Application.get_by_id(application.id).status == DECLINED
    assert AuditLog.select().where(AuditLog.action == "application.decline").count() == 1
    client.post(f"/leader/applications/{application.id}/decline")
    client.post(f"/leader/applications/{application.id}/approve")
    assert len(emails_to("alex@example.net")) == 1 and User.get_or_none(User.email == "alex@example.net") is None


def test_approve_refuses_an_address_that_already_has_an_account(app, auth, client, db):
    application = an_application(email="vera@example.org")
    auth.login("leo@example.org")
    client.post(f"/leader/applications/{application.id}/approve")
    assert Application.get_by_id(application.id).status == OPEN
    assert not RecruitmentStep.select().where(RecruitmentStep.kind == "x").exists()


# Retention ---------------------------------------------------------------------------------------


def test_declined_withdrawn_and_abandoned_applications_are_erased_when_due_once_across_restarts(app, auth, client, db):
    from cervis.models import UNCONFIRMED, WITHDRAWN

    long_ago = utcnow() - timedelta(days=200)
    declined = an_application(first="Dee", status=OPEN)
    references.ask(declined)
    vetting.decline(User.get(User.email == "ada@example.org"), declined)
    Application.update(decided_at=long_ago).where(Application.id == declined.id).execute()
    an_application(first="Wil", status=WITHDRAWN, decided_at=long_ago)
    an_application(first="Una", status=UNCONFIRMED, created_at=utcnow() - timedelta(days=8))
    an_application(first="Ned", status=DECLINED, decided_at=utcnow() - timedelta(days=20))
    an_application(first="Uri", status=UNCONFIRMED)
    an_application(first="Olly")
    auth.login("ada@example.org")
    page = client.get("/admin/data-protection").get_data(as_text=True)
    listed = page[page.index("Applications to be erased") :]
    assert all(n in listed for n in ("Dee", "Wil", "Una")) and not any(n in listed for n in ("Ned", "Uri", "Olly"))
    assert run_job(vetting.application_retention, app) == 3
    assert run_job(vetting.application_retention, app) == 0  # the job again, after a restart: nothing more
    assert sorted(a.first_name for a in Application.select()) == ["Ned", "Olly", "Uri"]
    assert not Reference.select().where(Reference.application == declined.id).exists()
    assert emails_to("alex@example.net") == [] and emails_to("rita@example.net") == []  # the e-mails naming Dee too
    assert "No application is due to be erased." in client.get("/admin/data-protection").get_data(as_text=True)


def test_the_retention_period_is_an_organisation_setting(app, auth, client, db):
    from cervis.models import Organisation

    an_application(first="Ned", status=DECLINED, decided_at=utcnow() - timedelta(days=40))
    org = Organisation.current()
    org.application_retention_months = 1
    org.save()
    assert vetting.erase_due() == 1


def test_download_my_data_says_who_gave_references_not_what_they_said(app, auth, client, db):
    application = an_application()
    references.receive(Reference.get(number=1), "3 years", "Employer", False, "CONFIDENTIAL-WORDS")
    references.receive(Reference.get(number=2), "1 year", "Neighbour", False, "MORE-CONFIDENTIAL")
    auth.login("ada@example.org")
    client.post(f"/leader/applications/{application.id}/approve")
    auth.logout()
    alex = User.get(User.email == "alex@example.net")
    # Past the first log-in (tested above): a password of their own, the profile verified.
    alex.password_hash, alex.temp_password_hash, alex.must_change_password = hashed(PASSWORD), None, False
    alex.verified_generation = 1
    alex.save()
    auth.login("alex@example.net")
    for url in ("/portal/profile/my-data", "/portal/profile/my-data.json"):
        page = client.get(url).get_data(as_text=True)
        assert "Rita Referee" in page and "Rob Referee" in page
        assert "CONFIDENTIAL" not in page and "3 years" not in page


def test_erasing_a_volunteer_erases_their_application_and_its_references(app, db):
    from cervis import erasure

    application = an_application()
    references.ask(application)
    references.receive(Reference.get(number=1), "3 years", "Employer", False, "Kind.")
    ada = User.get(User.email == "ada@example.org")
    alex = vetting.approve(ada, application)
    erasure.erase(ada, alex)
    assert not Application.select().exists() and not Reference.select().exists()
    assert emails_to("rita@example.net") == []


def test_a_leader_ticks_the_dbs_step_where_it_counts_and_sees_what_is_not_done(app, auth, client, db):
    application = an_application()
    dbs = Qualification.create(name="Enhanced DBS", criminal_record_check=True)
    RoleRequirement.create(role=Role.get(group=Group.get(name="Northside"), name="SL"), qualification=dbs)
    auth.login("leo@example.org")
    page = client.get(f"/leader/applications/{application.id}").get_data(as_text=True)
    assert "Not done yet: E-mail confirmed, Reference 1 received" in page and "DBS check." in page
    client.post(f"/leader/applications/{application.id}/steps/{the_steps()['DBS check'].id}", data={"note": "Cleared"})
    assert StepDone.get().note == "Cleared"
