"""Staff sign in with the organisation's accounts: OpenID Connect's code flow with PKCE (S256),
state and nonce, through Authlib; the ID token's signature and claims are checked with joserfc
(the library Authlib's own JOSE now is).

An account is matched by its verified e-mail address to an existing active user; the sign-in never
makes one, and a volunteer who leads nothing is refused unless the organisation allows it. After
that it is a session like a password log-in's: the same idle timeout and absolute lifetime.
"""

from flask_babel import gettext
import hmac
import secrets
import threading
import time

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from flask import abort, current_app, flash, redirect, request, session, url_for
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError
from joserfc.jwk import KeySet

from ..models.people import normal_email
from ..models import SingleSignOn, User
from .landing import home_for, required_step
from .session import bp, safe_next, start_session

_clock = time.time  # the ID token's clock, which tests move on
_now = time.monotonic  # the settings' age, which tests move on
_kept = threading.Lock()
DISCOVERY_SECONDS = 3600  # a provider's published settings are kept an hour (per process, per issuer)
TIMEOUT = 10  # seconds for each call to the provider
LEEWAY = 30  # seconds of clock difference allowed with the provider
ALGORITHMS = ["RS256", "PS256", "ES256"]


class Refused(Exception):
    """The sign-in cannot go on; the message says why, in words for the person signing in."""


def redirect_address():
    """The address to register with the provider, as the README and Single Sign-On show it."""
    return current_app.config["BASE_URL"].rstrip("/") + "/login/sso/callback"


def _provider(issuer):
    """The provider's published settings, kept an hour: two log-ins (four requests) ask for them once."""
    with _kept:
        kept = current_app.extensions.setdefault("sso_discovery", {})  # {issuer: (when fetched, settings)}
        fetched_at, meta = kept.get(issuer, (None, None))
    if fetched_at is not None and _now() - fetched_at < DISCOVERY_SECONDS:
        return meta
    meta = _discover(issuer)  # outside the lock: a slow provider holds up only its own log-ins
    with _kept:
        kept[issuer] = (_now(), meta)
    return meta


def _forget(issuer):
    with _kept:
        current_app.extensions.get("sso_discovery", {}).pop(issuer, None)


def _discover(issuer):
    """The provider's published settings, which must name this very issuer (a mix-up otherwise)."""
    try:
        answer = requests.get(issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=TIMEOUT)
        answer.raise_for_status()
        meta = answer.json()
    except (requests.RequestException, ValueError):
        raise Refused(
            gettext(
                "Your organisation's sign-in service could not be reached. Please try again, or log in with your e-mail address and password."
            )
        ) from None
    endpoints = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if (
        not isinstance(meta, dict)
        or meta.get("issuer") != issuer
        or not all(isinstance(meta.get(e), str) for e in endpoints)
    ):
        raise Refused(
            gettext(
                "Your organisation's sign-in service is not the one set up for this site. Please try again, or log in with your e-mail address and password."
            )
        )
    return meta


def _client(config):
    return OAuth2Session(
        config.client_id,
        config.client_secret,
        scope="openid email profile",
        redirect_uri=redirect_address(),
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )


@bp.route("/login/sso")
def sso_start():
    config = SingleSignOn.current()
    if not config.ready:
        abort(404)
    try:
        meta = _provider(config.issuer)
    except Refused as refused:
        flash(str(refused), "error")
        return redirect(url_for("auth.login"), code=303)
    verifier, nonce = generate_token(64), secrets.token_urlsafe(24)
    url, state = _client(config).create_authorization_url(
        meta["authorization_endpoint"], state=secrets.token_urlsafe(24), code_verifier=verifier, nonce=nonce
    )
    session["sso"] = {"state": state, "nonce": nonce, "verifier": verifier, "next": safe_next(request.args.get("next"))}
    return redirect(url, code=303)


@bp.route("/login/sso/callback")
def sso_callback():
    started = session.pop("sso", None)  # once: the same answer sent again finds nothing to match
    config = SingleSignOn.current()
    if not config.ready:
        abort(404)
    try:
        user = _account(config, started)
    except Refused as refused:
        flash(str(refused), "error")
        return redirect(url_for("auth.login"), code=303)
    start_session(user)
    step = required_step(user)
    return redirect(url_for(step) if step else started.get("next") or home_for(user), code=303)


def _account(config, started):
    state = request.args.get("state", "")
    if not started or not hmac.compare_digest(state.encode(), started["state"].encode()):
        raise Refused(
            gettext(
                "That sign-in had expired or was already used. Please try again, or log in with your e-mail address and password."
            )
        )
    # RFC 9207: a provider that names itself in its answer must be the one set up (a mix-up otherwise).
    if request.args.get("iss", config.issuer) != config.issuer:
        raise Refused(
            gettext(
                "Your organisation's sign-in service is not the one set up for this site. Please try again, or log in with your e-mail address and password."
            )
        )
    if request.args.get("error") or not request.args.get("code"):
        raise Refused(
            gettext(
                "Your organisation account did not sign you in. Please try again, or log in with your e-mail address and password."
            )
        )
    meta, client = _provider(config.issuer), _client(config)
    try:
        token = client.fetch_token(
            meta["token_endpoint"], code=request.args["code"], code_verifier=started["verifier"], timeout=TIMEOUT
        )
        claims = _id_claims(token.get("id_token", ""), meta, config, started["nonce"])
        if "email" not in claims and meta.get("userinfo_endpoint"):
            claims = {**_userinfo(token["access_token"], meta, claims["sub"]), **claims}
    except ExpiredTokenError:
        raise Refused(
            gettext(
                "Your organisation's sign-in had expired. Please try again, or log in with your e-mail address and password."
            )
        ) from None
    # TypeError: a key set that is a JSON list or a string, not an object with its keys.
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError, TypeError):
        _forget(config.issuer)  # moved endpoints or a changed provider: the next log-in asks afresh
        raise Refused(
            gettext(
                "Your organisation's sign-in could not be checked. Please try again, or log in with your e-mail address and password."
            )
        ) from None
    return _matching_user(config, claims)


def _id_claims(id_token, meta, config, nonce):
    """The ID token's claims, once its signature, issuer, audience, expiry and nonce are right."""
    keys = requests.get(meta["jwks_uri"], timeout=TIMEOUT)
    keys.raise_for_status()
    decoded = jwt.decode(id_token, KeySet.import_key_set(keys.json()), algorithms=ALGORITHMS)
    jwt.JWTClaimsRegistry(
        now=int(_clock()),
        leeway=LEEWAY,
        iss={"essential": True, "value": config.issuer},
        aud={"essential": True, "value": config.client_id},
        nonce={"essential": True, "value": nonce},
        sub={"essential": True},
        exp={"essential": True},
    ).validate(decoded.claims)
    # OpenID Connect Core 3.1.3.7: meant for this client alone, and handed to it (azp), not to another.
    claims = decoded.claims
    if (
        claims["aud"] not in (config.client_id, [config.client_id])
        or claims.get("azp", config.client_id) != config.client_id
    ):
        raise InvalidClaimError("aud")
    return claims


def _userinfo(access_token, meta, subject):
    """The person's claims from the provider's userinfo (where many put the e-mail address rather
    than in the ID token), once they are about the person the ID token names."""
    headers = {"Authorization": f"Bearer {access_token}"}
    answer = requests.get(meta["userinfo_endpoint"], headers=headers, timeout=TIMEOUT)
    answer.raise_for_status()
    info = answer.json()
    if not isinstance(info, dict) or info.get("sub") != subject:
        raise ValueError("the userinfo is about someone else")
    return info


def _matching_user(config, claims):
    # Google and most providers say email_verified; Microsoft Entra ID says xms_edov (the
    # address's domain is the organisation's own) when asked for it as an optional claim.
    verified = claims.get("email_verified") is True or claims.get("xms_edov") in (True, "1", "true")
    if not isinstance(claims.get("email"), str) or not claims["email"] or not verified:
        raise Refused(
            gettext("Your organisation account's e-mail address is not verified, so it cannot sign you in here.")
        )
    email = claims["email"].strip().lower()
    # The provider vouches for this very mailbox: one that NFKC folds into another ("ｌｅｏ@" into
    # "leo@") is someone else's, and the password log-in would not take it for Leo's either.
    user = User.by_email(email) if normal_email(email) == email else None
    if user is None or not user.active:
        raise Refused(
            gettext(
                "There is no account here for your organisation account's e-mail address. Please contact us to be added."
            )
        )
    if not (user.is_admin or user.is_leader or config.volunteers_allowed):
        raise Refused(
            gettext("Signing in with an organisation account is for staff. Please log in with your e-mail address.")
        )
    return user
