"""Logo uploads that would cost the server its memory, or fetch through CSS, are refused beside the field."""

import threading

import pytest
from PIL import Image
from helpers_branding import png, save

from cervis import branding
from cervis.models import Branding

ESCAPED_URL = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4" '
    b'style="fill: \\75 rl(https://example.com/t.png)"/></svg>'
)


def _deep(levels):
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg">'
        + b"<g>" * levels
        + b'<rect width="1" height="1"/>'
        + b"</g>" * levels
        + b"</svg>"
    )


def test_a_small_png_claiming_a_huge_canvas_is_refused_before_it_is_decoded(auth, client, db, monkeypatch):
    big, decoded = png(4096, 4096), []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self.size))
    auth.login("ada@example.org")
    assert len(big) < 100 * 1024  # a few KB of file, 64 MB of pixels
    page = save(client, big).get_data(as_text=True)
    assert "4096 × 4096 pixels" in page and 'href="#logo"' in page
    assert decoded == [] and Branding.current().logo_type == ""


def test_pngs_are_decoded_one_at_a_time(monkeypatch):
    inside, most = [0], [0]
    real = Image.Image.load

    def counted(self):
        inside[0] += 1
        most[0] = max(most[0], inside[0])
        threading.Event().wait(0.05)
        try:
            return real(self)
        finally:
            inside[0] -= 1

    monkeypatch.setattr(Image.Image, "load", counted)
    data = png(1000, 1000)
    threads = [threading.Thread(target=branding.check_logo, args=(data, "logo.png")) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1


@pytest.mark.parametrize("svg, words", [(ESCAPED_URL, "escape"), (_deep(20_000), "nested"), (_deep(60), "nested")])
def test_an_svg_with_an_escaped_url_or_deep_nesting_is_refused(auth, client, db, svg, words):
    auth.login("ada@example.org")
    response = save(client, svg, "logo.svg")
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert Branding.current().logo_type == ""


def test_an_svg_with_a_few_groups_is_still_a_logo(auth, client, db):
    auth.login("ada@example.org")
    assert save(client, _deep(10), "logo.svg").status_code == 303
