"""Logo, Colour and Welcome: what an administrator uploads is checked before anyone sees it, and
it shows on the log-in page, the black bar, the emails, the favicon and the web app manifest."""

import io

from PIL import Image

from cervis import branding
from cervis.models import AuditLog, Branding
from helpers_branding import png, save

SCRIPTED = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="4" height="4"/></svg>'
HANDLER = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="4" height="4"/></svg>'
FETCHES = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    b'<use xlink:href="https://example.com/x.svg#a"/></svg>'
)
CLEAN = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle cx="4" cy="4" r="4" fill="#6b2c91"/></svg>'


def test_a_png_logo_is_cleaned_scaled_and_shown_everywhere(auth, client, db):
    auth.login("ada@example.org")
    response = save(
        client,
        png(extra=b"trailing bytes a PNG should not carry"),
        accent="#6B2C91",
        welcome="Welcome, night shelter volunteers.",
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/branding#answer")
    face = Branding.current()
    kept = Image.open(io.BytesIO(face.logo))
    assert face.logo_type == "png" and kept.size == (512, 256) and b"trailing" not in face.logo
    assert face.accent == "#6b2c91" and AuditLog.get(AuditLog.action == "branding-change")
    served = client.get(f"/logo?v={face.logo_version}")
    assert served.mimetype == "image/png" and "immutable" in served.headers["Cache-Control"]
    auth.logout()
    login = client.get("/login").get_data(as_text=True)
    assert "Welcome, night shelter volunteers." in login and 'class="org-face-logo"' in login
    assert 'rel="icon" href="/logo?v=1" type="image/png"' in login and "brand.css" in login
    assert "--link: #6b2c91" in client.get("/brand.css?v=x").get_data(as_text=True)
    manifest = client.get("/manifest.webmanifest").get_json()
    assert manifest["start_url"] == "/portal/" and manifest["icons"][0]["src"] == "/icon.png?size=192&purpose=any&v=1"
    assert manifest["name"] == "WHC CERVIS" and manifest["display"] == "standalone"


def test_an_svg_that_could_run_or_fetch_anything_is_refused(auth, client, db):
    auth.login("ada@example.org")
    for bad, words in ((SCRIPTED, "&lt;script&gt;"), (HANDLER, "event handler"), (FETCHES, "another file")):
        response = save(client, bad, "logo.svg")
        assert response.status_code == 400 and words in response.get_data(as_text=True), words
        assert Branding.current().logo_type == ""
    assert save(client, CLEAN, "logo.svg").status_code == 303
    served = client.get("/logo")
    assert served.mimetype == "image/svg+xml" and "sandbox" in served.headers["Content-Security-Policy"]


def test_an_accent_too_pale_for_white_text_and_a_huge_file_are_refused(auth, client, db, monkeypatch):
    monkeypatch.setattr(branding, "MAX_BYTES", 100 * 1024)  # under the test client's own temporary-file size
    auth.login("ada@example.org")
    page = save(client, accent="#ffcc00").get_data(as_text=True)
    assert "needs at least 4.5:1" in page and 'href="#accent"' in page
    page = save(client, png() + b"\0" * 150_000).get_data(as_text=True)
    assert "at most 100 KB" in page
    assert Branding.current().accent == "" and Branding.current().logo_type == ""


def test_only_an_administrator_changes_the_face(auth, client, db):
    auth.login("leo@example.org")
    assert save(client, accent="#000000").status_code == 403
    assert client.get("/manifest.webmanifest").status_code == 200  # the manifest is public
