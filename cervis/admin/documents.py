"""Posted Documents: an administrator uploads a file for everyone, a group or one volunteer, or removes it."""

from flask_babel import gettext
from ..translated import lazy_gettext
import os
import secrets
from pathlib import Path

from flask import current_app, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from peewee import JOIN
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..forms import single_line
from ..auth import admin_required
from ..db import write_transaction
from ..htmx import answered, done
from ..models import AuditLog, Document, Group, User
from ..models.docs import EVERYONE, GROUP, VOLUNTEER
from ..permissions import as_id
from . import bp
from .paging import me

MAX_BYTES = 10 * 1024 * 1024
OOXML, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension: (the type we store, other types a browser may honestly declare, how the file starts)
KINDS = {
    "pdf": ("application/pdf", {"application/x-pdf"}, (b"%PDF-",)),
    "doc": ("application/msword", set(), (OLE,)),
    "xls": ("application/vnd.ms-excel", set(), (OLE,)),
    "ppt": ("application/vnd.ms-powerpoint", set(), (OLE,)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"application/zip"}, (OOXML,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"application/zip"}, (OOXML,)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        {"application/zip"},
        (OOXML,),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", {"application/zip"}, (OOXML,)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", {"application/zip"}, (OOXML,)),
    "odp": ("application/vnd.oasis.opendocument.presentation", {"application/zip"}, (OOXML,)),
    "png": ("image/png", set(), (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", {"image/pjpeg"}, (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", {"image/pjpeg"}, (b"\xff\xd8\xff",)),
    "gif": ("image/gif", set(), (b"GIF87a", b"GIF89a")),
    "txt": ("text/plain", set(), None),
}
# Sent by browsers that do not know the type; the file's first bytes are checked all the same.
UNKNOWN_TYPES = {"", "application/octet-stream"}
ACCEPTED = lazy_gettext(
    "PDF, Word, Excel, PowerPoint, OpenDocument (odt, ods, odp), images (png, jpg, gif) or text (txt)"
)
AUDIENCES = [
    SelectChoice(EVERYONE, "Everyone"),
    SelectChoice(GROUP, "One group"),
    SelectChoice(VOLUNTEER, "One volunteer"),
]


class DocumentForm(FlaskForm):
    title = StringField(
        lazy_gettext("Title"),
        validators=[
            DataRequired(lazy_gettext("Please give the document a title.")),
            Length(max=200, message=lazy_gettext("Please keep the title under 200 characters.")),
            single_line,
        ],
    )
    file = FileField(
        lazy_gettext("File"),
        render_kw={"accept": ",".join(f".{ext}" for ext in KINDS)},
        validators=[
            FileRequired(lazy_gettext("Please choose a file to upload.")),
            FileSize(MAX_BYTES, message=lazy_gettext("That file is larger than 10 MB. Please upload a smaller one.")),
        ],
    )
    audience = RadioField(lazy_gettext("Posted to"), choices=AUDIENCES, default=EVERYONE)
    group = SelectField(lazy_gettext("Group"), coerce=int, validate_choice=False)
    volunteer = SelectField(lazy_gettext("Volunteer"), coerce=int, validate_choice=False)

    def fill_choices(self):
        self.group.choices = [SelectChoice(0, "Choose a group")] + [
            SelectChoice(g.id, g.name) for g in Group.select().order_by(Group.name)
        ]
        people = (
            User.select()
            .where(User.active == True, User.email.is_null(False))
            .order_by(User.first_name, User.last_name)
        )
        self.volunteer.choices = [SelectChoice(0, "Choose a volunteer")] + [
            SelectChoice(u.id, f"{u.name} ({u.email})") for u in people
        ]

    def validate_group(self, field):
        if self.audience.data == GROUP and not Group.get_or_none(Group.id == as_id(field.data)):
            field.errors.append("Please choose the group to post this document to.")

    def validate_volunteer(self, field):
        chosen = User.get_or_none(User.id == as_id(field.data), User.active == True)
        if self.audience.data == VOLUNTEER and chosen is None:
            field.errors.append("Please choose the volunteer to post this document to.")


def clean_filename(name):
    """The uploaded name without any folder part or control characters, for the download."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip(" .")
    return name[-150:] or "document"


def file_problem(upload):
    """Why this upload is refused (extension, declared type or content), or None."""
    ext = clean_filename(upload.filename).rpartition(".")[2].lower()
    if ext not in KINDS:
        return f"That kind of file cannot be posted. Please upload {ACCEPTED}."
    stored_type, also, starts = KINDS[ext]
    declared = (upload.mimetype or "").lower()
    if declared not in UNKNOWN_TYPES | also | {stored_type}:
        return f"That file does not look like a .{ext} file (it was sent as {declared}). Please check it."
    head = upload.stream.read(8192)
    upload.stream.seek(0)
    if not head:
        return "That file is empty."
    if starts is None:
        text = head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head
        return None if text else "That file does not look like plain text. Please check it."
    if not head.startswith(starts):
        return f"That file's contents do not match a .{ext} file. Please check it."
    return None


def documents_dir():
    folder = Path(current_app.config["DOCUMENTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(upload):
    """Write the upload under a random name; nothing the uploader chose reaches the disk."""
    stored_name = secrets.token_hex(16)
    path = documents_dir() / stored_name
    tmp = path.with_suffix(".part")
    upload.save(str(tmp))
    os.replace(tmp, path)
    return stored_name, path.stat().st_size


def describe(doc):
    return {
        "title": doc.title,
        "filename": doc.filename,
        "audience": doc.audience,
        "size": doc.size,
        "group": doc.group.name if doc.group_id else None,
        "volunteer": doc.volunteer.email if doc.volunteer_id else None,
    }


def all_documents():
    return (
        Document.select(Document, Group, User)
        .join(Group, on=Document.group, join_type=JOIN.LEFT_OUTER)
        .switch(Document)
        .join(User, on=Document.volunteer, join_type=JOIN.LEFT_OUTER)
        .order_by(Document.uploaded_at.desc(), Document.id.desc())
    )


@bp.route("/documents", methods=["GET", "POST"])
@admin_required
def documents():
    form = DocumentForm()
    form.fill_choices()
    if form.validate_on_submit():
        problem = file_problem(form.file.data)
        if problem is None:
            doc = _post(form)
            return answered(
                url_for("admin.documents"), gettext("“%(title)s” has been posted.", title=doc.title), target="documents"
            )
        form.file.errors.append(problem)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/documents.html", form=form, documents=all_documents()), status


def _post(form):
    upload = form.file.data
    stored_name, size = store(upload)
    ext = clean_filename(upload.filename).rpartition(".")[2].lower()
    audience = form.audience.data
    try:
        with write_transaction():
            doc = Document.create(
                title=form.title.data.strip(),
                filename=clean_filename(upload.filename),
                stored_name=stored_name,
                content_type=KINDS[ext][0],
                size=size,
                audience=audience,
                group=form.group.data if audience == GROUP else None,
                volunteer=form.volunteer.data if audience == VOLUNTEER else None,
                uploaded_by=current_user.id,
            )
            AuditLog.record(me(), "document-post", doc, after=describe(doc))
    except Exception:
        (documents_dir() / stored_name).unlink(missing_ok=True)
        raise
    return doc


@bp.route("/documents/<int:document_id>/remove", methods=["POST"])
@admin_required
def document_remove(document_id):
    doc = Document.get_or_none(Document.id == document_id)
    if doc is None:
        return done(
            "admin/_document_removed.html",
            url_for("admin.documents"),
            gettext("That document had already been removed."),
            "error",
            target="documents",
            document_id=document_id,
        )
    with write_transaction():
        AuditLog.record(me(), "document-remove", doc, before=describe(doc))
        doc.delete_instance()
    # After the commit: a failed delete above leaves the file for the row that still needs it.
    (documents_dir() / doc.stored_name).unlink(missing_ok=True)
    return done(
        "admin/_document_removed.html",
        url_for("admin.documents"),
        gettext("“%(title)s” has been removed.", title=doc.title),
        target="documents",
        document_id=document_id,
    )
