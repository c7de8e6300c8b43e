"""The slot table is written once a row, without the template's indentation: a two-month opportunity
has hundreds of rows, and every byte of each is sent, compressed, and read on a phone (issue 16's
speed: the benchmark's table had grown from 70 to 108 KB)."""

import re

import pytest
from helpers_offering import person, plug_in, slots_page, stop_clock
from helpers_qualifications import sl_needs_training

ROW = re.compile(r"<tr(?: class=\"unavailable\")?>\s*<td class=\"check\">.*?</tr>", re.S)


@pytest.fixture
def clock(monkeypatch):
    return stop_clock(monkeypatch)


def test_each_slot_row_is_one_line_of_markup_without_indentation(auth, client, db, clock):
    plug = plug_in(weeks=8)
    sl_needs_training()
    auth.login()
    page = slots_page(client, person("vera@example.org"), plug).get_data(as_text=True)
    rows = ROW.findall(page)
    assert len(rows) == 32  # eight Thursdays, four roles each
    assert not [row for row in rows if re.search(r">\s{2,}<|\n", row)]
    assert "Training needed" in page and max(len(row) for row in rows) < 360
