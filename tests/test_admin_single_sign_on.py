"""Single Sign-On on the administration pages: the issuer, client id and secret; the secret kept
but never shown back; the redirect address to give the provider."""

from cervis.models import AuditLog, SingleSignOn

ENTRA = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"
FORM = {
    "issuer": ENTRA,
    "client_id": "cervis-app",
    "client_secret": "TOP-SECRET-VALUE",
    "account_name": "Microsoft 365",
}


def test_administrator_sets_up_single_sign_on_and_the_secret_is_never_shown_back(auth, client, db):
    auth.login("ada@example.org")
    page = client.get("/admin/single-sign-on").get_data(as_text=True)
    assert "http://localhost/login/sso/callback" in page
    assert client.post("/admin/single-sign-on", data=FORM).status_code == 303
    config = SingleSignOn.current()
    assert (config.issuer, config.client_id, config.client_secret) == (ENTRA, "cervis-app", "TOP-SECRET-VALUE")
    page = client.get("/admin/single-sign-on").get_data(as_text=True)
    assert "TOP-SECRET-VALUE" not in page and "A secret is saved" in page and "Single sign-on settings saved." in page
    assert "TOP-SECRET-VALUE" not in AuditLog.get(AuditLog.action == "single-sign-on.change").after
    client.post("/admin/single-sign-on", data={**FORM, "client_secret": "", "account_name": "Office"})
    assert SingleSignOn.current().client_secret == "TOP-SECRET-VALUE"  # an empty box keeps it
    client.post("/logout")
    assert "Sign in with Office" in client.get("/login").get_data(as_text=True)


def test_mistakes_are_shown_beside_the_fields_and_nothing_is_saved(auth, client, db):
    auth.login("ada@example.org")
    for data, message in (
        ({**FORM, "issuer": "http://idp.example.org"}, "Please enter the issuer&#39;s https:// address"),
        ({**FORM, "client_id": ""}, "Please fill in both the issuer and the client ID."),
        ({**FORM, "client_secret": ""}, "Please enter the client secret your provider gave you."),
    ):
        response = client.post("/admin/single-sign-on", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and message in page and "TOP-SECRET-VALUE" not in page, message
    assert SingleSignOn.select().count() == 0


def test_an_empty_issuer_turns_it_off_and_forgets_the_secret(auth, client, db):
    auth.login("ada@example.org")
    client.post("/admin/single-sign-on", data=FORM)
    client.post("/admin/single-sign-on", data={"issuer": "", "client_id": "", "client_secret": ""})
    assert not SingleSignOn.current().ready and SingleSignOn.current().client_secret == ""
    assert "Sign in with" not in client.get("/login").get_data(as_text=True)


def test_only_an_administrator_opens_single_sign_on(auth, client, db):
    auth.login("leo@example.org")
    assert client.get("/admin/single-sign-on").status_code == 403
