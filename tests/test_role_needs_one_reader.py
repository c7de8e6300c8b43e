"""What a role needs is read in one place (eligibility), by the roles page, the templates' `needs`
filter, the demo and every rota path alike: a second reader could disagree with what Register refuses."""

from helpers_qualifications import SAFEGUARDING, SL_TRAINING, require, sl_needs_training

from cervis import eligibility, training


def test_training_keeps_no_reader_of_its_own_and_the_templates_use_eligibilitys(app):
    assert not hasattr(training, "needs_by_role") and not hasattr(training, "role_needs")
    assert app.jinja_env.filters["needs"] is eligibility.role_needs


def test_what_the_roles_page_shows_is_what_eligibility_refuses_for(app, db):
    sl, cook = sl_needs_training(), require("Cook", SAFEGUARDING)
    needs = eligibility.needs_by_role([sl.id, cook.id])
    assert needs == {sl.id: [SAFEGUARDING, SL_TRAINING], cook.id: [SAFEGUARDING]}  # in the list's order
    refused = eligibility.eligibility([0], [sl.id, cook.id]).needs
    assert {role: [name for _, name in wanted] for role, wanted in refused.items()} == needs
    with app.test_request_context():
        assert eligibility.role_needs(sl) == needs[sl.id] and eligibility.role_needs(cook.id) == [SAFEGUARDING]
