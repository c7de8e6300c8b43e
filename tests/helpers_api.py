"""The API as a CRM would use it: a token an administrator made, and every answer checked against
the OpenAPI document the API serves (jsonschema, 2020-12, as OpenAPI 3.1 says)."""

import re
from datetime import timedelta

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from cervis.api.openapi import DOCUMENT
from cervis.db import utcnow, write_transaction
from cervis.models import ApiToken, User
from cervis.models.api import SCOPES

DOC_URI = "urn:cervis-api"
REGISTRY = Registry().with_resource(DOC_URI, Resource(contents=DOCUMENT, specification=DRAFT202012))
PREFIX = DOCUMENT["servers"][0]["url"]


def make_token(scopes=tuple(SCOPES), name="Beacon CRM", days=30, by="ada@example.org"):
    with write_transaction():
        _, token = ApiToken.issue(name, scopes, utcnow() + timedelta(days=days), User.by_email(by))
    return token


def _operation(method, path):
    """(the document's path template, its operation) for this request path."""
    assert path.startswith(PREFIX), path
    rest = path[len(PREFIX) :].split("?")[0]
    for template, operations in DOCUMENT["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", r"[^/]+", template), rest) and method.lower() in operations:
            return template, operations[method.lower()]
    raise AssertionError(f"{method} {path} is not in the OpenAPI document")


def checked(response, method, path):
    """The response, once its status, content type and body are the ones the document describes."""
    template, operation = _operation(method, path)
    status = str(response.status_code)
    assert status in operation["responses"], (method, template, status, response.get_data(as_text=True)[:300])
    pointer = f"/paths/{template.replace('/', '~1')}/{method.lower()}/responses/{status}"
    described = operation["responses"][status]
    if "$ref" in described:
        pointer = described["$ref"][1:]
        described = DOCUMENT["components"]["responses"][described["$ref"].rsplit("/", 1)[-1]]
    (content_type,) = described["content"]
    assert response.mimetype == content_type, (response.mimetype, content_type)
    schema = {"$ref": f"{DOC_URI}#{pointer}/content/{content_type.replace('/', '~1')}/schema"}
    errors = list(Draft202012Validator(schema, registry=REGISTRY).iter_errors(response.get_json()))
    assert errors == [], [e.message for e in errors]
    assert not any(h.lower().startswith("access-control-") for h in response.headers.keys())
    assert response.headers["Cache-Control"] == "no-store"
    return response


class Api:
    """The test client with a bearer token; every answer checked against the document."""

    def __init__(self, client, token):
        self.client, self.token = client, token

    def get(self, path, **kw):
        response = self.client.get(path, headers={"Authorization": f"Bearer {self.token}"}, **kw)
        return checked(response, "GET", path)

    def post(self, path, json=None, **kw):
        response = self.client.post(path, json=json, headers={"Authorization": f"Bearer {self.token}"}, **kw)
        return checked(response, "POST", path)
