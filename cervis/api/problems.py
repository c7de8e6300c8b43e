"""Errors as RFC 9457 problem details: application/problem+json, a title, the status and what to do."""

from flask import jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/v1"


class Problem(HTTPException):
    """Raised from anywhere in a view: the answer is the problem itself."""

    def __init__(self, status, detail, headers=None, **extra):
        super().__init__(detail)
        self.code, self.detail, self.headers, self.extra = status, detail, headers or {}, extra

    def get_response(self, environ=None, scope=None):
        return problem(self.code, self.detail, self.headers, **self.extra)


def problem(status, detail, headers=None, **extra):
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status, "detail": detail}
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = CONTENT_TYPE
    response.headers.update(headers or {})
    return response


def is_api_request():
    path = request.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def for_http_error(error):
    """An HTTP error under /api/v1 (a route that is not there, a method it does not take, a body too
    large) as a problem, never the HTML error page."""
    if isinstance(error, Problem):
        return error.get_response()
    code = getattr(error, "code", 500) or 500
    detail = getattr(error, "description", None) if isinstance(error, HTTPException) else None
    return problem(code, detail or "Something went wrong on our side. Please try again in a few minutes.")
