"""The portal menus: each person sees the sections their part allows, in their own language, and the
menus' words and addresses are worked out once for each kind of person and language, not at every
page (an administrator's bar draws some thirty links twice on every page)."""

from werkzeug.routing import MapAdapter

from cervis.models import User
from conftest import PASSWORD


def built(monkeypatch, endpoint):
    """A list that gets an entry each time the address of `endpoint` is built."""
    made, build = [], MapAdapter.build

    def counting(self, name, *args, **kwargs):
        if name == endpoint:
            made.append(name)
        return build(self, name, *args, **kwargs)

    monkeypatch.setattr(MapAdapter, "build", counting)
    return made


def test_the_administrators_menus_are_built_once_not_at_every_page(client, auth, monkeypatch):
    auth.login("ada@example.org")
    made = built(monkeypatch, "admin.audit")
    for _ in range(3):
        assert 'href="/admin/audit"' in client.get("/leader/tonight").text
    assert len(made) <= 1


def test_each_kind_of_person_sees_only_their_own_sections(app, auth):
    pages = {}
    for email in ("ada@example.org", "leo@example.org", "vera@example.org"):
        client = app.test_client()
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code
        pages[email] = client.get("/portal/").text
    assert "Administration" in pages["ada@example.org"] and "Group Management" in pages["ada@example.org"]
    assert "Administration" not in pages["leo@example.org"] and "Group Management" in pages["leo@example.org"]
    assert "Group Management" not in pages["vera@example.org"]
    assert 'href="/leader/tonight"' not in pages["vera@example.org"]


def test_the_menus_follow_each_persons_language(app, db):
    User.update(language="cy").where(User.email == "leo@example.org").execute()
    pages = {}
    for email in ("vera@example.org", "leo@example.org", "vera@example.org"):
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        pages.setdefault(email, []).append(client.get("/portal/").text)
    assert all("View or Cancel Registration for an Upcoming Opportunity" in page for page in pages["vera@example.org"])
    assert "View or Cancel Registration for an Upcoming Opportunity" not in pages["leo@example.org"][0]
