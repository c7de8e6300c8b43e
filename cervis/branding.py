"""The organisation's face: checking a logo before anyone sees it, and an accent colour that
keeps white text readable (WCAG AA, 4.5:1).

A PNG is decoded and written again by Pillow (only pixels survive: no metadata, no trailing
data, no oversized canvas). An SVG is refused, never rewritten, when it holds anything that can
run or fetch: scripts, event handlers, foreignObject, external references (href, url(), @import).
It is served with a CSP that forbids scripts and loads anyway (cervis/views.py).
"""

import io
import re
import threading

MAX_BYTES = 512 * 1024
MAX_SIDE = 512  # a larger PNG is scaled down to fit
# Refused before decoding: a 63 KB file can claim a 4096 × 4096 canvas, 64 MB once decoded. A logo
# is shown at most 512 wide, so 4 million pixels (2000 × 2000) is plenty, and 16 MB at most decoded.
MAX_PIXELS = 4_000_000
MAX_DEPTH = 32  # elements inside elements: a real logo nests a handful, a browser chokes on thousands
_decoding = threading.Lock()  # one PNG decoded at a time: four uploads at once cost one canvas, not four
MIN_CONTRAST = 4.5
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
SVG_NS = "{http://www.w3.org/2000/svg}"
SVG_ELEMENTS = {
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "defs",
    "title",
    "desc",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "use",
    "symbol",
    "pattern",
}
LOCAL_REF = re.compile(r"^#[\w.-]+$")
URL = re.compile(r"url\(\s*['\"]?(?!#)", re.I)


class LogoProblem(ValueError):
    """Why a logo was refused, in words for the administrator."""


def check_logo(data, filename):
    """(kind, bytes to keep) for an uploaded logo, or LogoProblem."""
    if not data:
        raise LogoProblem("Please choose a PNG or SVG file.")
    if len(data) > MAX_BYTES:
        raise LogoProblem(f"The logo is {len(data) // 1024} KB: please use one of at most {MAX_BYTES // 1024} KB.")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", _clean_png(data)
    if filename.lower().endswith(".svg") or b"<svg" in data[:2048]:
        return "svg", _checked_svg(data)
    raise LogoProblem("The logo must be a PNG or an SVG file.")


def _clean_png(data):
    from PIL import Image, UnidentifiedImageError  # only when a logo is uploaded: Pillow is large

    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only: the size, not the pixels
            if image.format != "PNG":
                raise LogoProblem("That file is not a real PNG image.")
            if image.width * image.height > MAX_PIXELS:
                raise LogoProblem(
                    f"That PNG is {image.width} × {image.height} pixels: please use one of at most "
                    "2000 × 2000 (4 million pixels). It is shown at most 512 pixels wide."
                )
            with _decoding:
                return _scaled(image.convert("RGBA"))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise LogoProblem("That file is not a PNG image we can read.") from exc


def _scaled(image):
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _checked_svg(data):
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise LogoProblem("That SVG could not be read, or it declares a DTD or entities.") from exc
    if root.tag != SVG_NS + "svg":
        raise LogoProblem("That file is not an SVG image.")
    _check_depth(root)
    for element in root.iter():
        _check_element(element)
    return data


def _check_depth(root):
    level = [(root, 1)]
    while level:
        element, depth = level.pop()
        if depth > MAX_DEPTH:
            raise LogoProblem(f"The SVG has elements nested more than {MAX_DEPTH} deep: please simplify it.")
        level.extend((child, depth + 1) for child in element)


def _check_element(element):
    tag = element.tag.rpartition("}")[2] if element.tag.startswith(SVG_NS) else element.tag
    if tag not in SVG_ELEMENTS:
        raise LogoProblem(f"The SVG contains <{tag}>, which a logo may not have (only shapes, text and gradients).")
    for name, value in element.attrib.items():
        local = name.rpartition("}")[2].lower()
        if local.startswith("on"):
            raise LogoProblem(f"The SVG has an event handler ({local}): a logo may not run scripts.")
        if "\\" in value:  # a CSS escape (\75 rl( is url( to a browser): no logo needs one
            raise LogoProblem("The SVG has a CSS escape (a backslash) in an attribute: a logo may not have one.")
        if local == "href" and not LOCAL_REF.match(value.strip()):
            raise LogoProblem("The SVG refers to another file or address: a logo must be self-contained.")
        if URL.search(value) or "javascript:" in value.lower() or "@import" in value.lower():
            raise LogoProblem("The SVG refers to another file or address: a logo must be self-contained.")


def contrast_with_white(colour):
    """WCAG's contrast ratio of white text on this "#rrggbb" colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def accent_problem(colour):
    """None for a usable accent colour (or none at all), else why it is refused."""
    if not colour:
        return None
    if not HEX.match(colour):
        return "Please enter the colour as # and six hex digits, like #6b2c91."
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST:
        return (
            f"White text on {colour} has a contrast of {ratio:.1f}:1; it needs at least {MIN_CONTRAST}:1 "
            "(WCAG AA). Please choose a darker colour."
        )
    return None
