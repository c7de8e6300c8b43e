"""The demo's training: roles that need it, volunteers who lack it, one expiring, one with proof waiting."""

from datetime import date, timedelta

from cervis import demo, eligibility, proof_files
from cervis.models import WAITING, Group, Qualification, QualificationGrant, RecordCheck, Role, User


def test_the_demo_has_qualifications_roles_that_need_them_and_volunteers_with_and_without(db):
    demo.load()
    assert {q.name: (q.valid_months, q.criminal_record_check) for q in Qualification.select()} == {
        "Safeguarding": (36, False),
        "Food hygiene level 2": (36, False),
        "Shift leader training": (None, False),
        "DBS basic": (36, True),
        "DBS enhanced": (36, True),
    }
    roles = list(Role.select().join(Group).where(Group.name.in_([v[0] for v in demo.VENUES])))
    needs = eligibility.needs_by_role([r.id for r in roles])
    assert len(roles) == 8
    for role in roles:
        expected = {"SL": ["Safeguarding", "Shift leader training"], "Cook": ["Food hygiene level 2"]}
        assert sorted(needs.get(role.id, [])) == sorted(expected.get(role.name, []))
    holders = {g.volunteer.first_name for g in QualificationGrant.select()}
    assert "Ivo" not in holders and "Bea" in holders
    today = date.today()
    lapsing = [g for g in QualificationGrant.select() if g.expires_on and today < g.expires_on <= today + timedelta(60)]
    assert [g.volunteer.first_name for g in lapsing] == ["Eli"]
    waiting = QualificationGrant.get(QualificationGrant.state == WAITING)
    assert waiting.volunteer.first_name == "Gus" and proof_files.path_of(waiting.proof_path).exists()
    assert RecordCheck.get().grant.volunteer == User.by_email("alex@example.org")
