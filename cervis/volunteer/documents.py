"""View Posted Documents: what an administrator posted to everyone, to the volunteer's groups, or to them."""

from pathlib import Path

from flask import abort, current_app, render_template, send_file
from flask_login import current_user, login_required
from peewee import JOIN

from ..models import Document, Group
from . import bp


def document_for(user, document_id):
    """A document posted to this user (an administrator may fetch any); 404 otherwise, never 403."""
    query = Document.select() if user.is_admin else Document.visible_to(user)
    doc = query.where(Document.id == document_id).first()
    if doc is None:
        abort(404)
    return doc


@bp.route("/documents")
@login_required
def documents():
    docs = (
        Document.visible_to(current_user)
        .select_extend(Group.name.alias("group_name"))
        .join(Group, on=Document.group, join_type=JOIN.LEFT_OUTER)
    )
    return render_template("volunteer/documents.html", documents=list(docs.objects()))


@bp.route("/documents/<int:document_id>")
@login_required
def document_download(document_id):
    doc = document_for(current_user, document_id)
    path = Path(current_app.config["DOCUMENTS_DIR"]) / doc.stored_name
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=doc.content_type, as_attachment=True, download_name=doc.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # A document may be for one volunteer only: no shared cache keeps a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response
