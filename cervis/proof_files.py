"""Proof of training a volunteer sends in: checked like the branding images, kept only until decided.

An image (PNG or JPEG) is decoded and written again by Pillow, so only pixels survive: a phone's
photo of a certificate loses its EXIF (where and when it was taken). A PDF cannot be rewritten
without a PDF library, so one that can run or launch anything is refused, and every proof is
served as a download in a sandbox (cervis/leader/training.py), never shown inline.
"""

import io
import os
import secrets
import threading
from pathlib import Path

from flask import current_app

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a 24-megapixel phone photo fits; decoded, at most 100 MB
ACCEPTED = ".pdf,.png,.jpg,.jpeg"
# Names in a PDF that run, launch or carry something: a certificate needs none of them.
PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA", b"/SubmitForm")
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
_decoding = threading.Lock()  # one image decoded at a time: two uploads at once cost one canvas


class ProofProblem(ValueError):
    """Why a proof was refused, in words for the volunteer."""


def check_proof(data):
    """(kind, bytes to keep) for an uploaded proof, or ProofProblem."""
    if not data:
        raise ProofProblem("Please choose a PDF or a photo (PNG or JPEG) of your certificate.")
    if len(data) > MAX_BYTES:
        raise ProofProblem(f"That file is larger than {MAX_BYTES // (1024 * 1024)} MB: please send a smaller one.")
    if data.startswith(b"%PDF-"):
        return "pdf", _checked_pdf(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        return _clean_image(data)
    raise ProofProblem("The proof must be a PDF, PNG or JPEG file.")


def _checked_pdf(data):
    if b"%%EOF" not in data[-2048:]:
        raise ProofProblem("That PDF looks cut short: please save it again and send it.")
    if any(name in data for name in PDF_ACTIVE):
        raise ProofProblem(
            "That PDF holds scripts, attachments or forms: please print it to a new PDF "
            "or send a photo of the certificate."
        )
    return data


def _clean_image(data):
    from PIL import Image, UnidentifiedImageError  # only when a proof is sent: Pillow is large

    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            if image.format not in ("PNG", "JPEG"):
                raise ProofProblem("That file is not a real PNG or JPEG image.")
            if image.width * image.height > MAX_PIXELS:
                raise ProofProblem(
                    f"That image is {image.width} × {image.height} pixels: please send one of "
                    "at most 25 million pixels."
                )
            kind = "png" if image.format == "PNG" else "jpg"
            with _decoding:
                out = io.BytesIO()
                if kind == "png":
                    image.convert("RGBA").save(out, "PNG")
                else:
                    image.convert("RGB").save(out, "JPEG", quality=90)
            return kind, out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ProofProblem("That image could not be read: please send another.") from exc


def proofs_dir():
    folder = Path(current_app.instance_path) / "proofs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def store(kind, data):
    """Write the proof under a random name (nothing the volunteer chose reaches the disk); its name."""
    name = f"{secrets.token_hex(16)}.{kind}"
    path = proofs_dir() / name
    part = path.with_suffix(".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(part, path)
    return name


def path_of(name):
    return proofs_dir() / name


def delete(names):
    for name in names:
        if name:
            (proofs_dir() / name).unlink(missing_ok=True)
