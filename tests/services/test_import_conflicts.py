"""A CSV import runs the conflict check (issue 15 point 10): rows that may be someone already in the
records are listed by line, with client and organisation numbers only; the accounting of every
record read is unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from agenda_data import add_user
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kantor_cases.cli import main
from kantor_cases.domain.records import ClientDraft, PartyDraft, RelatedPersonDraft

HEADER = ["first_name", "last_name", "a_number", "date_of_birth"]


def write(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def records(office):
    maria = office.clients.create(ClientDraft(given_name="María", family_name="García"))
    office.clients.add_related_person(maria.id, RelatedPersonDraft(given_name="José", family_name="García",
                                                                   relationship="spouse", a_number="A011111111"))
    party = office.settings.save_party(PartyDraft(kind="employer", name="Lan Pham"))
    return maria.id, party.id


def test_relatives_organisations_and_namesakes_are_listed_by_number(office, tmp_path):
    maria, party = records(office)
    path = write(tmp_path / "in.csv", [
        ["Jose", "Garcia", "", ""],  # the spouse's name
        ["Pedro", "Ruiz", "011-111-111", ""],  # the spouse's A-number
        ["Lan", "Pham", "", ""],  # an organisation's name
        ["Maria", "Garcia", "", "1970-01-01"],  # a client's name, another birthday
        ["Ana", "Ruiz", "", ""],  # nobody
    ])
    report = office.client_csv.import_file(path)
    assert report.imported == 5
    assert [(c.row, c.reason) for c in report.conflicts] == [
        (2, f"same name as the spouse of client {maria}"),
        (3, f"same A-number as the spouse of client {maria}"),
        (4, f"same name as an organisation on file (employer, no. {party})"),
        (5, f"same name as client {maria}"),
    ]


def test_a_restricted_client_is_not_numbered_for_staff(office, tmp_path):
    add_user(office, "Rosa Kantor", "attorney")
    add_user(office, "Sam Staff", "staff")
    maria, _party = records(office)
    office.clients.restrict(maria, [])
    office.user = "Sam Staff"
    report = office.client_csv.import_file(write(tmp_path / "in.csv", [["Jose", "Garcia", "", ""],
                                                                       ["Maria", "Garcia", "", ""]]), dry_run=True)
    reasons = " ".join(c.reason for c in report.conflicts)
    assert reasons == "same name as the spouse of a restricted client same name as a restricted client"
    assert f"client {maria}" not in reasons


def test_the_cli_lists_the_conflicts_with_numbers_and_no_names(office, tmp_path, capsys):
    maria, _party = records(office)
    database = office.locations.database
    office.close()
    path = write(tmp_path / "in.csv", [["Jose", "Garcia", "", ""], ["Ana", "Ruiz", "", ""]])
    code = main(["--db", database, "--user", "Ana", "clients", "import", str(path)])
    out = capsys.readouterr().out
    assert code == 0
    assert f"row 2: possible conflict — same name as the spouse of client {maria}" in out
    assert "1 row may be someone already in the records" in out
    code = main(["--db", database, "--user", "Ana", "clients", "import", "--dry-run", "--json", str(path)])
    assert '"conflict_rows"' in capsys.readouterr().out


_name = st.sampled_from(["José", "Jose", "María", "Lan", "Ana", "Pedro"])
_family = st.sampled_from(["García", "Garcia", "Pham", "Ruiz", ""])
_a_number = st.sampled_from(["", "A011111111", "A022222222", "bad"])
_row = st.tuples(_name, _family, _a_number, st.sampled_from(["", "1970-01-01", "1980-02-30"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_row, max_size=10))
def test_conflicts_are_valid_rows_and_the_accounting_holds(office, tmp_path, rows):
    office.client_csv._backup = None
    if not office.clients.count():
        records(office)
    path = write(tmp_path / "h.csv", [list(row) for row in rows])
    report = office.client_csv.import_file(path, dry_run=True)
    assert report.imported + report.rejected + report.skipped_duplicates + report.held_back == report.rows
    invalid = {p.row for p in report.problems}
    duplicates = {p.row for p in report.duplicates}
    flagged = {c.row for c in report.conflicts}
    assert not flagged & (invalid | duplicates)
    for line, (given_name, family, a_number, _born) in enumerate(rows, start=2):
        if line in invalid or line in duplicates:
            continue
        relative = family in ("García", "Garcia") and given_name in ("José", "Jose") or a_number == "A011111111"
        organisation = (given_name, family) == ("Lan", "Pham")
        assert (line in flagged) == (relative or organisation or (given_name == "María" and family == "García")
                                     or (given_name == "María" and family == "Garcia"))


def test_a_common_name_lists_its_first_three_matches_by_number_and_counts_the_rest(office, tmp_path):
    namesakes = [office.clients.create(ClientDraft(given_name="Ana", family_name="Ruiz")).id for _ in range(5)]
    holders = [office.clients.create(ClientDraft(given_name="Eva", family_name="Sol")).id for _ in range(4)]
    for holder in reversed(holders):  # added last first: the list goes by client number all the same
        office.clients.add_related_person(holder, RelatedPersonDraft(given_name="José", family_name="García",
                                                                     relationship="child", a_number="A022222222"))
    parties = [office.settings.save_party(PartyDraft(kind="employer", name="Lan Pham")).id for _ in range(4)]
    path = write(tmp_path / "in.csv", [["Ana", "Ruiz", "", ""], ["Jose", "Garcia", "A022222222", ""],
                                       ["Lan", "Pham", "", ""]])
    report = office.client_csv.import_file(path, dry_run=True)
    first = ", ".join(f"client {number}" for number in namesakes[:3])
    children = ", ".join(f"the child of client {number}" for number in holders[:3])
    employers = "; ".join(f"employer, no. {number}" for number in parties[:3])
    assert [(c.row, c.reason) for c in report.conflicts] == [
        (2, f"same name as {first} and 2 other clients"),
        (3, f"same A-number as {children} and 1 other family members of clients; "
            f"same name as {children} and 1 other family members of clients"),
        (4, f"same name as an organisation on file ({employers}; 1 more)"),
    ]
