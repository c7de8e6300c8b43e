"""What identifies an erased person in other people's records, found in every form it is stored in.

Only their full name, e-mail addresses and phone numbers count, matched whole: a first name alone,
a street or a postcode is shared with venues, neighbours and namesakes, so it is never a sign that
a record is about them. The forms: as typed, HTML-escaped (Jinja's &#39; and Python's &#x27;),
JSON-escaped (the audit log's \\u00e1), URL-encoded (mailto: links), and any case; phone numbers in
any spacing, as tel: links and in +44 form. In an e-mail they wrote (a leader's message), their
first name goes too: there it can only be them.
"""

import html
import json
import re
from urllib.parse import quote, quote_plus

from markupsafe import escape

ERASED_NAME = "Erased volunteer"  # the one wording: on the rota, and in other people's e-mails
REDACTED = "[erased]"  # an e-mail address or phone number in other people's records
_GAP = r"(?:\s|%20|\+|&nbsp;|&#160;)+"


def _encodings(text):
    """The ways a value is stored: as typed, HTML-escaped, JSON-escaped, URL-encoded; in any case."""
    forms = set()
    for cased in {text, text.upper(), text.lower(), text.title()}:
        forms |= {
            cased,
            str(escape(cased)),
            html.escape(cased),
            json.dumps(cased)[1:-1],
            quote(cased),
            quote(cased, safe=""),
            quote_plus(cased),
        }
    return forms


def _whole(forms):
    """A pattern for any of these forms, not inside a longer word; spaces as any gap."""
    alternatives = sorted((re.escape(f).replace(r"\ ", _GAP) for f in forms), key=len, reverse=True)
    return r"(?<![\w@.%])(?:" + "|".join(alternatives) + r")(?![\w@%]|\.\w)"


def _phone(number):
    """Its digits in any spacing, tel:07700900005 and +44 7700 900005 alike, never inside a longer number."""
    digits = re.sub(r"\D", "", number)
    if len(digits) < 7:
        return None
    national = digits[1:] if digits.startswith("0") else digits
    sep = r"(?:[\s.()\-]|%20|&nbsp;){0,2}"
    body = sep.join(national)
    return rf"(?<!\d)(?:0|\+44{sep}(?:\(0\){sep})?|0044{sep})?{sep}{body}(?!\d)", {number, digits, national}


class Mentions:
    """The patterns for a household's identifiers, and the fragments a row must hold to be read."""

    def __init__(self, people, profiles):
        names = {p.name for p in people if p.first_name and p.last_name}
        self.addresses = {p.email.lower() for p in people if p.email}
        firsts = {p.first_name for p in people if len(p.first_name or "") >= 2}
        phones = [_phone(n) for pr in profiles for n in (pr.mobile, pr.emergency_phone) if n]
        phones = [p for p in phones if p]
        self.fragments = set()
        self.rules = []  # (compiled pattern, replacement)
        if names:
            forms = set().union(*map(_encodings, names))
            self.fragments |= forms
            self.rules.append((re.compile(_whole(forms), re.IGNORECASE), ERASED_NAME))
        if self.addresses:
            forms = set().union(*map(_encodings, self.addresses))
            self.fragments |= forms
            self.rules.append((re.compile(_whole(forms), re.IGNORECASE), REDACTED))
        for pattern, fragments in phones:
            self.fragments |= fragments
            self.rules.append((re.compile(pattern), REDACTED))
        self.first_names = re.compile(_whole(set().union(*map(_encodings, firsts))), re.IGNORECASE) if firsts else None

    def redact(self, text, theirs=False):
        """The text without them; `theirs` for what they wrote, where their first name is them too."""
        for pattern, replacement in self.rules:
            text = pattern.sub(replacement, text)
        if theirs and self.first_names is not None:
            text = self.first_names.sub(ERASED_NAME, text)
        return text

    def names_them(self, text):
        return any(pattern.search(text) for pattern, _ in self.rules)
