"""Lists: the choices volunteers pick from (allergens, places of worship, interests, frequencies),
and the qualifications roles may need.

An item in use is never removed (its answers would vanish from volunteers' profiles): the
administrator is told where it is used and may rename it instead.
"""

from flask_babel import gettext
from ..translated import lazy_gettext
from flask import abort, make_response, render_template, request, url_for
from flask_wtf import FlaskForm
from peewee import IntegrityError, fn
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import single_line
from ..auth import admin_required
from ..db import write_transaction
from ..htmx import answer_now, done, is_htmx, vary
from ..models import Allergen, AuditLog, Frequency, InterestCategory, PlaceOfWorship, Qualification
from . import bp
from .paging import me

KINDS = {
    "allergens": (
        Allergen,
        lazy_gettext("Allergies and Intolerances"),
        lazy_gettext("Volunteers tick the ones that apply to them. “None” is always offered."),
    ),
    "places": (
        PlaceOfWorship,
        lazy_gettext("Places of worship"),
        lazy_gettext(
            "Starred answers (shown with *) are the ones that are not a place, such as “I prefer not to say”."
        ),
    ),
    "interests": (
        InterestCategory,
        lazy_gettext("Interest categories"),
        lazy_gettext("Opportunities are tagged with these, so volunteers can search by interest."),
    ),
    "frequencies": (
        Frequency,
        lazy_gettext("Preferred frequencies"),
        lazy_gettext("How often a volunteer would like to serve."),
    ),
    "qualifications": (
        Qualification,
        "Qualifications",
        lazy_gettext(
            "Training and checks a role can need. A grant expires after the months given (empty: "
            "never) unless whoever records it says otherwise. A criminal-record check's details "
            "are seen by administrators only, and volunteers cannot send proof of one in."
        ),
    ),
}
PROTECTED = {("allergens", "None"): "“None” is what volunteers with no allergies choose, so it cannot be {}."}
# What a reference to a list item means to an administrator, by the referring model's name.
USES = {
    "ProfileAllergen": lazy_gettext("volunteer profile"),
    "ProfilePlace": lazy_gettext("volunteer profile"),
    "Profile": lazy_gettext("volunteer profile"),
    "OpportunityInterest": "opportunity",
    "RoleRequirement": "role",
    "QualificationGrant": lazy_gettext("volunteer record"),
}


class ItemForm(FlaskForm):
    name = StringField(
        lazy_gettext("Name"),
        validators=[
            DataRequired(lazy_gettext("Please enter a name.")),
            Length(max=100, message=lazy_gettext("Please keep it under 100 characters.")),
            single_line,
        ],
    )
    starred = BooleanField(lazy_gettext("Starred"))
    valid_months = StringField(
        lazy_gettext("Expires after (months)"), filters=[lambda v: (v or "").strip()], validators=[single_line]
    )
    criminal_record_check = BooleanField(lazy_gettext("Criminal-record check"))


def months_problem(text):
    """Why these months are refused, or None (empty: never expires)."""
    if text and not (text.isascii() and text.isdigit() and 1 <= int(text) <= 600):
        return "Please enter a whole number of months from 1 to 600, or leave it empty for never."
    return None


def extras(kind, form):
    """The fields beyond the name that this list keeps, from a validated form."""
    if kind == "places":
        return {"starred": form.starred.data}
    if kind == "qualifications":
        return {
            "valid_months": int(form.valid_months.data) if form.valid_months.data else None,
            "criminal_record_check": form.criminal_record_check.data,
        }
    return {}


def model_for(kind):
    if kind not in KINDS:
        abort(404)
    return KINDS[kind][0]


def item_for(kind, item_id):
    item = model_for(kind).get_or_none(id=item_id)
    if item is None:
        abort(404)
    return item


def describe(kind, item):
    data = {"name": item.name, "position": item.position}
    if kind == "places":
        data["starred"] = item.starred
    if kind == "qualifications":
        data.update(valid_months=item.valid_months, criminal_record_check=item.criminal_record_check)
    return data


def uses_of(item):
    """How many records refer to this item, as words ("2 volunteer profiles"), or an empty list."""
    found = []
    for field, model in type(item)._meta.backrefs.items():
        count = model.select().where(field == item.id).count()
        if count:
            noun = USES.get(model.__name__, "record")
            found.append(f"{count} {noun}{'' if count == 1 else 's'}")
    return found


def section_context(kind):
    model, title, hint = KINDS[kind]
    return dict(kind=kind, title=title, hint=hint, entries=list(model.ordered()))


@bp.route("/lists")
@admin_required
def lists():
    return render_template("admin/lists.html", sections=[section_context(k) for k in KINDS], errors={})


def _answer(kind, message, category="success"):
    return done(
        "admin/_list_section.html",
        url_for("admin.lists") + f"#list-{kind}",
        message,
        category,
        target=f"list-{kind}",
        errors={},
        oob=True,
        **section_context(kind),
    )


def _refused(kind, key, message, typed=""):
    """A refusal shown beside the field: the section (htmx, 422) or the whole page (400)."""
    errors = {key: (message, typed)}
    answer_now(gettext("Nothing was changed: please see below."), "error", f"list-{kind}")
    if is_htmx():
        html = render_template(
            "admin/_list_section.html",
            errors=errors,
            oob=True,
            message=gettext("Nothing was changed: please see below."),
            category="error",
            **section_context(kind),
        )
        return vary(make_response(html, 422))
    sections = [section_context(k) for k in KINDS]
    return render_template("admin/lists.html", sections=sections, errors=errors), 400


def _name_problem(model, form, item_id=None):
    if not form.validate():
        return next(e for f in form for e in f.errors)
    if model is Qualification and months_problem(form.valid_months.data):
        return months_problem(form.valid_months.data)
    name = form.name.data.strip()
    same = model.select().where(fn.LOWER(model.name) == name.lower())
    if item_id is not None:
        same = same.where(model.id != item_id)
    return f"“{name}” is already in this list." if same.exists() else None


@bp.route("/lists/<kind>/add", methods=["POST"])
@admin_required
def list_add(kind):
    model, form = model_for(kind), ItemForm()
    problem = _name_problem(model, form)
    if problem:
        return _refused(kind, (kind, "new"), problem, form.name.data or "")
    extra = extras(kind, form)
    try:
        with write_transaction():
            last = model.select(fn.MAX(model.position)).scalar()
            item = model.create(name=form.name.data.strip(), position=(last if last is not None else -1) + 1, **extra)
            AuditLog.record(me(), "list-add", item, after=describe(kind, item))
    except IntegrityError:  # added by someone else a moment ago
        return _refused(kind, (kind, "new"), f"“{form.name.data.strip()}” is already in this list.", form.name.data)
    return _answer(kind, f"“{item.name}” has been added.")


@bp.route("/lists/<kind>/<int:item_id>", methods=["POST"])
@admin_required
def list_rename(kind, item_id):
    item, form = item_for(kind, item_id), ItemForm()
    if (kind, item.name) in PROTECTED and form.name.data and form.name.data.strip() != item.name:
        return _refused(kind, (kind, item.id), PROTECTED[(kind, item.name)].format("renamed"), form.name.data)
    problem = _name_problem(type(item), form, item.id)
    if problem:
        return _refused(kind, (kind, item.id), problem, form.name.data or "")
    before = describe(kind, item)
    item.name = form.name.data.strip()
    for name, value in extras(kind, form).items():
        setattr(item, name, value)
    if describe(kind, item) == before:
        return _answer(kind, "Nothing was changed.")
    with write_transaction():
        item.save()
        AuditLog.record(me(), "list-rename", item, before=before, after=describe(kind, item))
    return _answer(
        kind,
        f"“{before['name']}” has been saved as “{item.name}”."
        if before["name"] != item.name
        else f"“{item.name}” has been saved.",
    )


@bp.route("/lists/<kind>/<int:item_id>/move", methods=["POST"])
@admin_required
def list_move(kind, item_id):
    item = item_for(kind, item_id)
    step = -1 if request.form.get("direction") == "up" else 1
    with write_transaction():
        order = [i.id for i in type(item).ordered()]
        here = order.index(item.id)
        there = here + step
        if not 0 <= there < len(order):
            return _answer(kind, f"“{item.name}” is already {'first' if step < 0 else 'last'}.")
        order[here], order[there] = order[there], order[here]
        # Rewrite every position: older lists may hold ties, which make "up" and "down" ambiguous.
        for position, other_id in enumerate(order):
            type(item).update(position=position).where(type(item).id == other_id).execute()
        AuditLog.record(me(), "list-move", item, before={"position": here}, after={"position": there})
    return _answer(kind, f"“{item.name}” has been moved {'up' if step < 0 else 'down'}.")


@bp.route("/lists/<kind>/<int:item_id>/remove", methods=["POST"])
@admin_required
def list_remove(kind, item_id):
    item = item_for(kind, item_id)
    if (kind, item.name) in PROTECTED:
        return _refused(kind, (kind, item.id), PROTECTED[(kind, item.name)].format("removed"), item.name)
    with write_transaction():
        uses = uses_of(item)
        if not uses:
            AuditLog.record(me(), "list-remove", item, before=describe(kind, item))
            item.delete_instance()
    if uses:
        return _refused(
            kind,
            (kind, item.id),
            f"“{item.name}” is in use ({', '.join(uses)}), so it cannot be removed. You can rename it instead.",
            item.name,
        )
    return _answer(kind, f"“{item.name}” has been removed.")
