"""Import Volunteers from the files real spreadsheets write: semicolons, old Mac line ends, a BOM,
Windows-1252."""

import io

import pytest
from helpers_leader import LEO, csv_upload, person

from cervis.leader.volunteer_file import decode, read_rows

HEADING = ["E-mail Address", "First Name", "Last Name", "Phone", "Groups"]
NORA = ["nora@example.org", "Nora", "New", "07700 900111", "Northside"]
OWEN = ["owen@example.org", "Owen", "Other", "", "Northside"]


def _file(separator, line_end):
    return line_end.join(separator.join(cells) for cells in (HEADING, NORA, OWEN)) + line_end


@pytest.mark.parametrize("separator", [",", ";", "\t"])
@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"])
def test_a_file_with_any_spreadsheets_separator_and_line_ends_is_read(separator, line_end):
    rows = read_rows(_file(separator, line_end))
    assert [(r.email, r.first_name, r.last_name, r.phone, r.group_names) for r in rows] == [
        ("nora@example.org", "Nora", "New", "07700 900111", ["Northside"]),
        ("owen@example.org", "Owen", "Other", "", ["Northside"]),
    ]


def test_a_semicolon_file_from_excel_previews_without_a_bad_address(auth, client, db):
    auth.login(LEO)
    page = csv_upload(client, _file(";", "\r\n")).get_data(as_text=True)
    assert "Bad e-mail address" not in page and "2 volunteers to add" in page


def test_a_semicolon_file_without_a_heading_keeps_several_groups_in_a_quoted_cell():
    rows = read_rows('nora@example.org;Nora;New;;"Northside;Southside"\nowen@example.org;Owen;Other;;Northside\n')
    assert rows[0].group_names == ["Northside", "Southside"] and rows[1].email == "owen@example.org"


def test_a_comma_file_whose_groups_cell_holds_semicolons_stays_a_comma_file():
    rows = read_rows("nora@example.org,Nora,New,,Northside;Southside\n")
    assert rows[0].group_names == ["Northside", "Southside"]


def test_an_old_mac_excel_file_with_cr_line_ends_previews(auth, client, db):
    auth.login(LEO)
    response = csv_upload(client, _file(",", "\r"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "new-line character" not in page and "2 volunteers to add" in page
    assert person("nora@example.org") is None


def test_a_byte_order_mark_and_windows_1252_are_read():
    assert read_rows(decode("\ufeff".encode() + _file(";", "\r\n").encode()))[0].email == "nora@example.org"
    rows = read_rows(decode("zoe@example.org;Zoë;Ökland;;Northside\r\n".encode("cp1252")))
    assert (rows[0].first_name, rows[0].last_name) == ("Zoë", "Ökland")


def test_a_cr_file_uploaded_through_the_form_keeps_its_rows(auth, client, db):
    auth.login(LEO)
    data = _file(";", "\r").encode("cp1252")
    response = client.post(
        "/leader/volunteers/import",
        data={"file": (io.BytesIO(data), "volunteers.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "Owen" in response.get_data(as_text=True)
