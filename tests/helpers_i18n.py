"""The pseudo-language that shows which words were never marked for translation: every msgid of
the catalogue template comes back inside ⟦ ⟧, so any word left outside those brackets on a page
or in an e-mail went round gettext."""

import re
from html.parser import HTMLParser
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from cervis.languages import TRANSLATIONS

PSEUDO = "eo"  # a language Babel knows and CERVIS ships no catalogue for
TEMPLATE = TRANSLATIONS / "messages.pot"
SHOWN_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


def pseudo_catalogue(folder: Path):
    """folder/eo/LC_MESSAGES/messages.mo, every message bracketed; the folder, for BABEL_TRANSLATION_DIRECTORIES."""
    with TEMPLATE.open("rb") as f:
        catalogue = read_po(f, locale=PSEUDO)
    for message in catalogue:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            forms = [f"⟦{ids[min(i, len(ids) - 1)]}⟧" for i in range(catalogue.num_plurals)]
            message.string = tuple(forms) if isinstance(message.id, tuple) else forms[0]
    target = folder / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with (target / "messages.mo").open("wb") as f:
        write_mo(f, catalogue)
    return folder


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        self.parts.extend(f" {value} " for name, value in attrs if name in SHOWN_ATTRIBUTES and value)
        if tag == "meta" and dict(attrs).get("name") == "description":
            self.parts.append(f" {dict(attrs).get('content', '')} ")
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html):
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def charity_words(texts):
    """One pattern for every text the charity wrote, each matched as whole words, longest first."""
    texts = set(texts)
    texts |= {f"{t[:17]}…" for t in texts if len(t) > 23}  # a chart's legend: Jinja's truncate(18, True, "…")
    ordered = sorted(texts, key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(t)}(?!\w)" for t in ordered))


def untranslated(text, known):
    """The runs of words outside ⟦ ⟧ that are not the charity's own data (names, its texts):
    each a string to mark."""
    while True:
        shorter = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if shorter == text:
            break
        text = shorter
    text = known.sub(" ", text)
    text = re.sub(r"\S+@\S+|https?://\S+|/\S*", " ", text)
    runs = []
    for line in re.split(r"\s{2,}|[\n|·•]", text):
        words = [w for w in WORD.findall(line) if w not in _PSEUDO_WORDS]
        if words:
            runs.append(" ".join(line.split()))
    return runs


def _pseudo_words():
    """The pseudo-language's own day and month names (dates are Babel's, not gettext's)."""
    locale = Locale.parse(PSEUDO)
    words = {"CERVIS", "English", "Cymraeg", "Polski"}
    for table in (locale.days, locale.months):
        for width in table.values():
            for names in width.values():
                words.update(WORD.findall(" ".join(names.values())))
    return words


_PSEUDO_WORDS = _pseudo_words()
