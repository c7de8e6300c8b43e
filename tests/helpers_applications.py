"""Alex applies to Northside, naming two referees (Rita and Rob); the organisation's steps as the
issue defaults them. Applications are made directly: the /apply form is tested on its own."""

from cervis.db import utcnow
from cervis.models import OPEN, Application, ApplicationGroup, Frequency, Group, RecruitmentStep, Reference

STEPS = [
    ("E-mail confirmed", "email"),
    ("Reference 1 received", "reference-1"),
    ("Reference 2 received", "reference-2"),
    ("Induction attended", "manual"),
    ("Volunteer agreement accepted", "manual"),
    ("DBS check", "dbs"),
]


def the_steps():
    if not RecruitmentStep.select().exists():
        for position, (name, kind) in enumerate(STEPS):
            RecruitmentStep.create(name=name, kind=kind, position=position)
    return {s.name: s for s in RecruitmentStep.select()}


def an_application(group="Northside", first="Alex", email="alex@example.net", status=OPEN, **kw):
    the_steps()
    application = Application.create(
        first_name=first,
        last_name="Applicant",
        email=email,
        phone="07700 900555",
        frequency=Frequency.select().first(),
        status=status,
        confirmed_at=utcnow() if status == OPEN else None,
        **kw,
    )
    ApplicationGroup.create(application=application, group=Group.get(name=group))
    Reference.create(
        application=application, number=1, name="Rita Referee", email="rita@example.net", relationship="Former employer"
    )
    Reference.create(
        application=application, number=2, name="Rob Referee", email="rob@example.net", relationship="Neighbour"
    )
    return application


def run_job(job, app, now=None):
    """A scheduler job as the scheduler runs it, in a thread with a connection of its own: what it
    knows comes from the database alone, as after a restart."""
    import threading

    result = []
    thread = threading.Thread(target=lambda: result.append(job(app, now)))
    thread.start()
    thread.join(timeout=60)
    return result[0]
