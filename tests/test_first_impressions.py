"""A first log-in that looks finished: the charity's logo and colours on the forced first pages, a
profile whose required fields are required, a description for search engines, icons of the
charity's logo for a phone's home screen, and titles and counts that read right on a fresh install."""

import io
import re

from PIL import Image

from conftest import TEMP
from cervis.configuration import LOCAL_URL
from cervis.models import Branding, Group, Organisation, User

NEW_PASSWORD = "Lantern Quietly Mended 42"
PURPLE = (107, 44, 145)


def give_the_charity_a_purple_logo():
    out = io.BytesIO()
    Image.new("RGB", (400, 200), PURPLE).save(out, "PNG")
    brand = Branding.current()
    brand.logo, brand.logo_type, brand.logo_version, brand.accent = out.getvalue(), "png", 1, "#6b2c91"
    brand.save()


def dress_of(page):
    """The logo, stylesheet, manifest and icons a page asks for."""
    return re.findall(r'(?:src|href)="(/(?:logo|brand\.css|manifest|icon-|favicon)[^"]*)"', page)


def test_a_newcomer_sees_the_charitys_logo_and_colours_on_the_forced_first_pages(auth, client, db):
    give_the_charity_a_purple_logo()
    auth.login("nia@example.org", TEMP)
    for forced in ("/password", "/portal/profile"):
        page = client.get(forced)
        assert page.status_code == 200, forced
        dress = dress_of(page.get_data(as_text=True)) + ["/favicon.ico"]
        assert any(d.startswith("/logo") for d in dress) and any(d.startswith("/brand.css") for d in dress)
        for address in dress:
            answer = client.get(address.replace("&amp;", "&"))
            assert answer.status_code == 200, (forced, address, answer.headers.get("Location"))
        if forced == "/password":
            client.post("/password", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})


def test_the_strength_meter_includes_no_token_where_the_page_has_none(auth, client):
    auth.login("nia@example.org", TEMP)
    page = client.get("/password").get_data(as_text=True)
    assert 'name="token"' not in page
    assert re.search(r'hx-include="this"', page) and "[name=token]" not in page


def test_the_profiles_frequency_starts_empty_so_the_browser_requires_a_choice(auth, client):
    auth.login("nia@example.org", TEMP)
    client.post("/password", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    page = client.get("/portal/profile").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="frequency"[^>]*>\s*<option[^>]*>[^<]*', page).group(0)
    assert " required" in select and re.search(r'<option[^>]*value=""[^>]*>Please select', select), select
    answer = client.post("/portal/profile", data={"frequency": ""}).get_data(as_text=True)
    assert "Please select how often you would like to volunteer." in answer


def test_every_page_has_a_description_for_search_engines(auth, client):
    for address in ("/login", "/terms"):
        assert re.search(
            r'<meta name="description" content="Wycombe Example Connection: [^"]+">',
            client.get(address).get_data(as_text=True),
        ), address
    auth.login()
    assert '<meta name="description"' in client.get("/portal/").get_data(as_text=True)


def icons_of(client):
    manifest = client.get("/manifest.webmanifest").get_json()
    assert manifest["id"] == "/"
    return {(i["purpose"], i["sizes"]): i for i in manifest["icons"] if i["type"] == "image/png"}


def drawn(client, address):
    answer = client.get(address)
    assert answer.status_code == 200 and answer.mimetype == "image/png", address
    return Image.open(io.BytesIO(answer.data))


def test_the_manifest_has_png_and_maskable_icons_of_the_house_until_a_logo_is_set(client, db):
    icons = icons_of(client)
    assert set(icons) == {("any", "192x192"), ("any", "512x512"), ("maskable", "192x192"), ("maskable", "512x512")}
    for (purpose, sizes), icon in icons.items():
        assert drawn(client, icon["src"]).size == tuple(int(n) for n in sizes.split("x"))


def test_the_home_screen_icons_and_favicon_are_drawn_from_the_charitys_logo(client, db):
    give_the_charity_a_purple_logo()
    icons = icons_of(client)
    for purpose in ("any", "maskable"):
        image = drawn(client, icons[(purpose, "512x512")]["src"]).convert("RGB")
        assert image.getpixel((256, 256)) == PURPLE and image.getpixel((256, 5)) == (255, 255, 255)
    maskable = drawn(client, icons[("maskable", "512x512")]["src"]).convert("RGB")
    assert maskable.getpixel((30, 256)) == (255, 255, 255)  # the logo stays inside the safe zone
    touch = re.search(r'rel="apple-touch-icon" href="([^"]+)"', client.get("/login").get_data(as_text=True))
    assert drawn(client, touch.group(1).replace("&amp;", "&")).convert("RGB").getpixel((96, 96)) == PURPLE
    favicon = client.get("/favicon.ico")
    assert favicon.mimetype == "image/vnd.microsoft.icon" and Image.open(io.BytesIO(favicon.data)).format == "ICO"


def test_a_fresh_install_reads_cervis_once_and_counts_in_words(auth, client, db):
    org = Organisation.current()
    org.short_name = "CERVIS"  # a fresh install's
    org.save()
    User.update(active=False).where(User.email != "ada@example.org").execute()
    Group.delete().where(Group.name == "Southside").execute()
    auth.login("ada@example.org")
    page = client.get("/admin/").get_data(as_text=True)
    assert "<title>Administrator Home · CERVIS</title>" in page
    assert "<strong>1</strong> active account<" in page and "<strong>1</strong> group<" in page
    assert "CERVIS CERVIS" not in client.get("/login").get_data(as_text=True)


def create_admin(app, email):
    with app.app_context():  # as `flask` gives it
        return app.test_cli_runner().invoke(
            args=["create-admin", email, "--first-name", "Ann", "--password", NEW_PASSWORD]
        )


def test_create_admin_gives_the_log_in_address_only_where_base_url_is_set(app):
    app.config["BASE_URL"] = "https://volunteers.example.org"
    made = create_admin(app, "one@example.org")
    assert made.exit_code == 0 and "Log in at https://volunteers.example.org/login" in made.output, made.output
    app.config["BASE_URL"] = LOCAL_URL
    made = create_admin(app, "two@example.org")
    assert made.exit_code == 0 and f"Log in at {LOCAL_URL}/login" not in made.output, made.output
    assert "BASE_URL" in made.output
