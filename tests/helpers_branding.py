"""A logo as an administrator uploads it, and the Logo, Colour and Welcome form posted."""

import io

from PIL import Image


def png(width=600, height=300, extra=b""):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (107, 44, 145)).save(out, "PNG")
    return out.getvalue() + extra


def save(client, logo=None, name="logo.png", **fields):
    data = {"accent": "", "welcome": "", **fields}
    if logo is not None:
        data["logo"] = (io.BytesIO(logo), name)
    return client.post("/admin/branding", data=data, content_type="multipart/form-data")
