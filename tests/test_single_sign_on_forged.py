"""Staff single sign-on against what a certified provider never sends: ID tokens unsigned, signed
with the client secret or another key, meant for another client or another issuer; an address that
only looks like a staff member's; a provider that breaks or is down. Each one signs nobody in and
says so in words, never a 500."""

import logging

import pytest
from helpers_postgresql import _free_port
from helpers_sso import CLIENT_SECRET, flashed, set_up
from helpers_sso_forged import PORTS, Forger, forged_sign_in, forging_provider
from joserfc.jwk import OctKey, RSAKey

from cervis.db import write_transaction
from cervis.models import User

NOT_CHECKED = "Your organisation's sign-in could not be checked."


@pytest.fixture(scope="module")
def provider():
    with forging_provider() as forger:
        yield forger


@pytest.fixture
def forger(db, provider):
    provider.__init__(provider.issuer)  # what an earlier test made it say is forgotten
    set_up(provider.issuer)
    return provider


def signed_in(client):
    return client.get("/leader/").status_code == 200


def test_a_good_id_token_from_the_stand_in_signs_leo_in(client, forger):
    assert forged_sign_in(client, forger).headers["Location"].endswith("/leader/")
    assert signed_in(client)


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(Forger.unsigned, id="alg none"),
        pytest.param(lambda f: f.signed({"alg": "HS256"}, OctKey.import_key(CLIENT_SECRET)), id="HS256 secret"),
        pytest.param(lambda f: f.signed(key=RSAKey.generate_key(2048, parameters={"kid": "x"})), id="other key"),
        pytest.param(lambda f: f.signed(aud="another-client"), id="other audience"),
        pytest.param(lambda f: f.signed(aud=["cervis-tests", "another-client"]), id="two audiences"),
        pytest.param(lambda f: f.signed(azp="another-client"), id="another party's"),
        pytest.param(lambda f: f.signed(iss="https://idp.example.org"), id="other issuer"),
        pytest.param(lambda f: f.signed(nonce="from-another-sign-in"), id="other nonce"),
        pytest.param(lambda f: f.signed(nonce=None), id="no nonce"),
        pytest.param(lambda f: "not a token", id="garbage"),
    ],
)
def test_an_id_token_that_is_not_ours_signs_nobody_in(client, forger, forge):
    answer = forged_sign_in(client, forger, forge)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/login")
    assert NOT_CHECKED in flashed(client) and not signed_in(client)


def test_an_address_that_only_looks_like_leos_signs_nobody_in(client, forger):
    # Fullwidth letters: another mailbox at the provider, though NFKC folds it into Leo's address.
    forged_sign_in(client, forger, lambda f: f.signed(email="ｌｅｏ@example.org"))
    assert "There is no account here" in flashed(client) and not signed_in(client)


def test_an_address_in_capitals_is_leos_as_at_the_password_log_in(client, forger):
    forged_sign_in(client, forger, lambda f: f.signed(email="Leo@EXAMPLE.org"))
    assert signed_in(client)


def test_a_deactivated_leader_cannot_sign_in_this_way(client, forger):
    with write_transaction():
        User.update(active=False).where(User.email == "leo@example.org").execute()
    forged_sign_in(client, forger)
    assert "There is no account here" in flashed(client) and not signed_in(client)


@pytest.mark.parametrize("jwks", ["[]", "{}", "not json", '{"keys": "none"}'])
def test_a_broken_key_set_is_a_message_not_a_500(client, forger, jwks):
    forger.jwks = jwks
    answer = forged_sign_in(client, forger)
    assert answer.status_code == 303 and NOT_CHECKED in flashed(client)


def test_a_provider_failing_midway_is_a_message_not_a_500(client, forger):
    forger.token_status = 500
    assert forged_sign_in(client, forger).status_code == 303
    assert NOT_CHECKED in flashed(client) and not signed_in(client)


def test_a_provider_that_is_down_is_a_message_not_a_500(client, forger):
    set_up(f"http://127.0.0.1:{_free_port(PORTS)}")  # nothing listens there
    answer = client.get("/login/sso")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/login")
    assert "could not be reached" in flashed(client)


def test_the_client_secret_is_in_no_log_page_or_address(client, forger, caplog):
    caplog.set_level(logging.DEBUG)
    answers = [client.get("/login/sso"), client.get("/login")]
    answers.append(forged_sign_in(client, forger, Forger.unsigned))
    answers += [client.get("/login"), forged_sign_in(client, forger), client.get("/leader/")]
    seen = " ".join(a.get_data(as_text=True) + str(a.headers) for a in answers) + caplog.text
    assert CLIENT_SECRET not in seen and signed_in(client)
