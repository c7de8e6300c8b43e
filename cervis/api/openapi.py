"""The OpenAPI 3.1 document of /api/v1: what /api/v1/openapi.json serves and /api/docs shows, and
what the tests check every answer against."""

from .paging import DEFAULT_LIMIT, MAX_LIMIT

REF = "#/components/schemas/"
PROBLEMS = {
    "400": "The request is not one this route takes (a bad filter, limit or cursor, a body that is not JSON).",
    "401": "No token, or one that is expired, revoked or unknown.",
    "403": "The token lacks the scope, or the action is not one the API may take.",
    "404": "No such object.",
    "409": "It conflicts with what is stored.",
    "422": "The values cannot be used; errors says why.",
    "429": "Too many requests from this token: wait a minute (Retry-After).",
}
TIME = {"type": ["string", "null"], "format": "date-time", "description": "UTC (RFC 3339)"}


def _obj(required, optional=None, **properties):
    names = {**properties, **(optional or {})}
    return {"type": "object", "additionalProperties": False, "required": list(required), "properties": names}


def _integer(description=""):
    return {"type": "integer", "minimum": 1, **({"description": description} if description else {})}


def _text(nullable=False):
    return {"type": ["string", "null"]} if nullable else {"type": "string"}


def _page_of(name):
    return _obj(
        ["items", "next_cursor"],
        items={"type": "array", "items": {"$ref": REF + name}},
        next_cursor={
            "type": ["string", "null"],
            "description": "Pass as ?cursor= for the next page; null: the last page.",
        },
    )


SCHEMAS = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": _text(),
            "title": _text(),
            "status": {"type": "integer"},
            "detail": _text(),
            "errors": {
                "type": "array",
                "items": _obj(["message"], field=_text(), message=_text()),
            },
        },
    },
    "Group": _obj(["id", "name", "address"], id=_integer(), name=_text(), address=_text()),
    "Opportunity": _obj(
        ["id", "group_id", "name", "description", "location", "live_from", "offer_deadline", "cancelled_at"]
        + ["slots", "places", "registered"],
        id=_integer(),
        group_id=_integer(),
        name=_text(),
        description=_text(),
        location=_text(),
        live_from=TIME,
        offer_deadline=TIME,
        cancelled_at=TIME,
        slots={"type": "integer", "description": "How many slots (shifts)"},
        places={"type": "integer", "description": "The places on all its slots"},
        registered={"type": "integer", "description": "Confirmed registrations on all its slots"},
    ),
    "Slot": _obj(
        ["id", "opportunity_id", "role", "starts_at", "ends_at", "places", "registered", "pending"]
        + ["places_left", "closed"],
        id=_integer(),
        opportunity_id=_integer(),
        role=_obj(["id", "name"], id=_integer(), name=_text()),
        starts_at={**TIME, "type": "string"},
        ends_at={**TIME, "type": "string"},
        places={"type": "integer", "description": "Capacity: never more than this many are registered"},
        registered={"type": "integer"},
        pending={"type": "integer", "description": "Offers a leader has not yet accepted"},
        places_left={"type": "integer"},
        closed={"type": "boolean", "description": "No more offers: closed, past its deadline, started or cancelled"},
    ),
    "Registration": _obj(
        ["id", "slot_id", "volunteer", "status", "created_at", "updated_at", "cancelled_at"],
        id=_integer(),
        slot_id=_integer(),
        volunteer=_obj(["id", "name"], id=_integer(), name=_text()),
        status={"enum": ["pending", "registered", "not_required", "cancelled"]},
        created_at=TIME,
        updated_at=TIME,
        cancelled_at=TIME,
    ),
    "Member": _obj(
        ["id", "first_name", "last_name", "active", "is_leader", "joined_at"],
        {"email": _text(nullable=True), "phone": _text()},
        id=_integer(),
        first_name=_text(),
        last_name=_text(),
        active={"type": "boolean"},
        is_leader={"type": "boolean"},
        joined_at=TIME,
    ),
    "Volunteer": _obj(
        ["id", "first_name", "last_name", "active", "created_at", "groups"],
        {"email": _text(nullable=True), "phone": _text()},
        id=_integer(),
        first_name=_text(),
        last_name=_text(),
        active={"type": "boolean"},
        created_at=TIME,
        groups={
            "type": "array",
            "items": _obj(["id", "name", "is_leader"], id=_integer(), name=_text(), is_leader={"type": "boolean"}),
        },
    ),
    "NewVolunteer": {
        **_obj(
            ["email", "first_name", "last_name"],
            {"phone": _text(), "group_ids": {"type": "array", "items": _integer()}},
            email={"type": "string", "format": "email"},
            first_name=_text(),
            last_name=_text(),
        ),
        "description": "Checked as Import Volunteers checks a row; the volunteer gets the welcome e-mail.",
    },
    "Hours": _obj(
        ["volunteer_id", "from", "to", "hours", "activities", "days"],
        volunteer_id=_integer(),
        **{
            "from": {"type": ["string", "null"], "format": "date"},
            "to": {"type": ["string", "null"], "format": "date"},
        },
        hours={"type": "number", "description": "Shifts served and service recorded, in hours"},
        activities={"type": "integer"},
        days={"type": "integer", "description": "Distinct days served"},
    ),
}
for _name in ("Group", "Opportunity", "Slot", "Registration", "Member"):
    SCHEMAS[_name + "Page"] = _page_of(_name)


def _param(name, where, schema, description, required=False):
    return {"name": name, "in": where, "required": required, "schema": schema, "description": description}


PAGING = [
    _param(
        "limit",
        "query",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        "Rows a page",
    ),
    _param("cursor", "query", {"type": "string"}, "The next_cursor of the page before"),
]
PERIOD = [
    _param("from", "query", {"type": "string", "format": "date"}, "First day (organisation's time zone)"),
    _param("to", "query", {"type": "string", "format": "date"}, "Last day, included"),
]


def _id(name, what):
    return _param(name, "path", _integer(), f"The {what}'s id", required=True)


def _op(summary, scope, schema, parameters=(), errors=("400", "401", "403", "429"), status="200", **extra):
    responses = {status: {"description": "OK", "content": {"application/json": {"schema": {"$ref": REF + schema}}}}}
    responses.update({code: {"$ref": f"#/components/responses/{code}"} for code in errors})
    return {
        "summary": summary,
        "description": f"Scope: {scope}.",
        "parameters": list(parameters),
        "responses": responses,
        **extra,
    }


WITH_404 = ("400", "401", "403", "404", "429")
PATHS = {
    "/opportunities": {
        "get": _op(
            "Opportunities, with their slots' places and counts",
            "rota:read",
            "OpportunityPage",
            [_param("group_id", "query", _integer(), "Only this group's"), *PAGING],
        )
    },
    "/slots": {
        "get": _op(
            "Slots, with places, registered and pending counts",
            "rota:read",
            "SlotPage",
            [
                _param("opportunity_id", "query", _integer(), "Only this opportunity's"),
                _param("group_id", "query", _integer(), "Only this group's"),
                *PERIOD,
                *PAGING,
            ],
        )
    },
    "/slots/{slot_id}/registrations": {
        "get": _op(
            "Registrations for a slot", "rota:read", "RegistrationPage", [_id("slot_id", "slot"), *PAGING], WITH_404
        )
    },
    "/groups": {"get": _op("Groups", "rota:read", "GroupPage", PAGING)},
    "/groups/{group_id}/members": {
        "get": _op(
            "A group's members: names with rota:read, e-mail and phone too with volunteers:read",
            "rota:read or volunteers:read",
            "MemberPage",
            [_id("group_id", "group"), *PAGING],
            WITH_404,
        )
    },
    "/volunteers": {
        "post": _op(
            "Add a volunteer, as Import Volunteers does",
            "volunteers:write",
            "Volunteer",
            errors=("400", "401", "403", "409", "422", "429"),
            status="201",
            requestBody={"required": True, "content": {"application/json": {"schema": {"$ref": REF + "NewVolunteer"}}}},
        )
    },
    "/volunteers/{volunteer_id}": {
        "get": _op("A volunteer", "volunteers:read", "Volunteer", [_id("volunteer_id", "volunteer")], WITH_404)
    },
    "/volunteers/{volunteer_id}/registrations": {
        "get": _op(
            "A volunteer's registrations",
            "rota:read",
            "RegistrationPage",
            [_id("volunteer_id", "volunteer"), *PAGING],
            WITH_404,
        )
    },
    "/volunteers/{volunteer_id}/hours": {
        "get": _op(
            "Hours a volunteer served in a period",
            "volunteers:read",
            "Hours",
            [_id("volunteer_id", "volunteer"), *PERIOD],
            WITH_404,
        )
    },
    "/volunteers/{volunteer_id}/deactivate": {
        "post": _op(
            "Deactivate a volunteer (never a leader or an administrator); e-mail and phone only with volunteers:read too",
            "volunteers:write",
            "Volunteer",
            [_id("volunteer_id", "volunteer")],
            WITH_404,
        )
    },
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "CERVIS API",
        "version": "1.0.0",
        "description": "Volunteers, hours and the rota for the charity's other systems. Every request sends "
        "'Authorization: Bearer <token>' (an administrator makes one on API Tokens); lists come a page at a time "
        "in id order (limit and cursor); errors are RFC 9457 problem details. Times are UTC.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "An API token"}},
        "schemas": SCHEMAS,
        "responses": {
            code: {"description": text, "content": {"application/problem+json": {"schema": {"$ref": REF + "Problem"}}}}
            for code, text in PROBLEMS.items()
        },
    },
}
