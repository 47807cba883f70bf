"""The letter commands as staff script them: exit codes, one-line errors, JSON shapes, files written."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from plain_office import plain_office
from pypdf import PdfReader

from kantor_cases.cli import main
from kantor_cases.services import locations
from kantor_cases.services.office import Office, fallback_user


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def text_of(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo office (letterhead, courts, clients with hearings), built once for this module."""
    db = str(tmp_path_factory.mktemp("letters-cli") / "k.sqlite3")
    assert main(["--db", plain_office(db), "demo", "--clients", "300", "--seed", "7"]) == 0
    office = Office.open(locations.resolve(db), "test")
    try:
        hearings = [h for h in office.hearings.upcoming_hearings(60)
                     if h.starts_at > datetime.now() + timedelta(days=1)
                     and office.clients.get(h.client_id).a_number and office.clients.get(h.client_id).street]
        hearing = hearings[0]
        client = office.clients.get(hearing.client_id)
        other = next(h for h in hearings if h.client_id != hearing.client_id)
        facts = {"db": db, "matter": hearing.matter_id, "hearing": hearing.id, "client": client.id,
                 "name": client.full_name, "other_matter": other.matter_id}
    finally:
        office.close()
    return facts


def test_templates_lists_the_seven_letters(capsys, demo):
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "templates", "--json")
    templates = {t["template_id"]: t for t in json.loads(out)}
    assert code == 0 and len(templates) == 7
    assert templates["hearing-reminder"]["needs"] == "hearing"
    assert templates["pd-request"]["languages"] == ["en"]
    assert templates["document-request"]["needs"] == "client"
    assert templates["status-update"]["active_versions"] == {"en": 0, "es": 0}
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "templates")
    assert code == 0 and "hearing-reminder" in out and "built-in" in out


def test_render_writes_a_preview_and_save_files_and_logs_it(capsys, demo, tmp_path):
    out_file = tmp_path / "reminder.pdf"
    code, out, err = run(capsys, "--db", demo["db"], "letters", "render", "hearing-reminder",
                         "--matter", str(demo["matter"]), "--lang", "en", "--out", str(out_file))
    assert code == 0 and err == "" and "Wrote" in out, err
    text = text_of(out_file)
    assert demo["name"] in text and "Your next hearing in immigration court" in text
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "list", "--matter", str(demo["matter"]), "--json")
    assert code == 0 and json.loads(out) == []  # a preview is not a sent letter

    saved = tmp_path / "saved.pdf"
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "render", "hearing-reminder",
                       "--hearing", str(demo["hearing"]), "--lang", "es", "--out", str(saved), "--save", "--json")
    report = json.loads(out)
    assert code == 0 and report["letter"]["language"] == "es"
    filed = Path(report["letter"]["file_path"])
    assert filed.read_bytes() == saved.read_bytes() and "Recordatorio de audiencia" in text_of(saved)
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "list", "--matter", str(demo["matter"]), "--json")
    [logged] = json.loads(out)
    assert logged["id"] == report["letter"]["id"] and logged["hearing_id"] == demo["hearing"]
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "regenerate", str(logged["id"]), "--json")
    assert code == 0 and json.loads(out)["matches"] is True and json.loads(out)["file"] == "ok"


def test_client_only_letters_render_and_others_say_what_they_need(capsys, demo, tmp_path):
    code, out, err = run(capsys, "--db", demo["db"], "letters", "render", "document-request",
                         "--client", str(demo["client"]), "--out", str(tmp_path / "docs.pdf"))
    assert code == 0 and demo["name"] in text_of(tmp_path / "docs.pdf")
    for template, needs in (("hearing-reminder", "--matter ID"), ("status-update", "--matter ID"),
                            ("closing", "--matter ID"), ("pd-request", "--matter ID")):
        code, out, err = run(capsys, "--db", demo["db"], "letters", "render", template,
                             "--client", str(demo["client"]), "--out", str(tmp_path / "x.pdf"))
        assert code == 2 and needs in err and err.count("\n") == 1, (template, err)
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--lang", "fr"], "'fr' is not one of"),
    (["--client", "1"], "either --matter or --client"),
    (["--field", "nonsense"], "NAME=VALUE"),
    ([], None),
])
def test_render_usage_errors_are_one_line_and_exit_2(capsys, demo, tmp_path, args, message):
    base = ["--db", demo["db"], "letters", "render", "engagement", "--matter", str(demo["matter"]),
            "--out", str(tmp_path / "e.pdf")]
    code, out, err = run(capsys, *base, *args)
    assert code == 2 and err.count("\n") == 1 and out == ""
    # Without any of the mistakes, the engagement letter still needs the attorney's terms.
    assert (message or "still needs") in err
    assert not (tmp_path / "e.pdf").exists()


def test_render_fills_fields_from_options_and_files(capsys, demo, tmp_path):
    fields = tmp_path / "fields.json"
    fields.write_text(json.dumps({
        "engagement": {"scope_items": ["Representing you in your removal proceedings"],
                       "excluded_items": ["Appeals"], "fee_type": "hourly", "hourly_rate": "450"},
    }), encoding="utf-8")
    code, out, err = run(capsys, "--db", demo["db"], "letters", "render", "engagement", "--matter",
                         str(demo["matter"]), "--lang", "en", "--fields", str(fields),
                         "--field", "engagement.attorney_insured=true", "--out", str(tmp_path / "e.pdf"))
    assert code == 0, err
    text = text_of(tmp_path / "e.pdf")
    assert "$450.00" in text and "Representing you in your removal proceedings" in text


def test_unknown_records_exit_2(capsys, demo, tmp_path):
    code, _, err = run(capsys, "--db", demo["db"], "letters", "render", "hearing-reminder", "--matter", "999999",
                       "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "does not exist" in err and err.count("\n") == 1
    code, _, err = run(capsys, "--db", demo["db"], "letters", "regenerate", "999999")
    assert code == 2 and "does not exist" in err


def test_batch_reports_letters_files_and_the_print_file_and_a_rerun_skips_them(capsys, demo, tmp_path):
    out_dir = tmp_path / "batch"
    code, out, err = run(capsys, "--db", demo["db"], "letters", "batch", "hearing-reminder",
                         "--hearings-within", "45", "--out", str(out_dir), "--json")
    report = json.loads(out)
    # The demo leaves some clients without an A-number: those reminders are refused and listed (exit 1).
    assert code == (1 if report["problems"] else 0)
    assert report["letters"] == len(report["files"]) > 0
    assert all(Path(f).parent == out_dir and Path(f).is_file() for f in report["files"])
    combined = PdfReader(report["combined"])
    assert len(combined.pages) == sum(len(PdfReader(f).pages) for f in report["files"])
    assert all("A-number" in p["message"] for p in report["problems"])
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "batch", "hearing-reminder",
                       "--hearings-within", "45", "--out", str(tmp_path / "again"), "--json")
    again = json.loads(out)
    assert again["letters"] == 0 and again["skipped_already_sent"] >= report["letters"] and again["combined"] is None
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "batch", "hearing-reminder",
                       "--hearings-within", "45", "--out", str(tmp_path / "forced"))
    assert "0 hearing reminders" in out or "Printed 0" in out
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "list", "--json", "--limit", "1000")
    batch_rows = [r for r in json.loads(out) if r["batch_id"] == report["batch_id"]]
    assert len(batch_rows) == report["letters"]


def test_status_update_batch_and_batch_usage_errors(capsys, demo, tmp_path):
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "batch", "status-update", "--government-status",
                       "individual_set", "--out", str(tmp_path / "s"), "--json")
    report = json.loads(out)
    assert code in (0, 1) and report["letters"] > 0 and Path(report["combined"]).is_file()
    for args, message in (
        (["hearing-reminder", "--out", str(tmp_path)], "--hearings-within DAYS"),
        (["status-update", "--out", str(tmp_path)], "--firm-status"),
        (["status-update", "--hearings-within", "3", "--firm-status", "active", "--out", str(tmp_path)],
         "chosen by status"),
        (["hearing-reminder", "--hearings-within", "400", "--out", str(tmp_path)], "400"),
        (["closing", "--hearings-within", "3", "--out", str(tmp_path)], "'closing' is not one of"),
        (["status-update", "--firm-status", "sleeping", "--out", str(tmp_path)], "not a firm status"),
    ):
        code, out, err = run(capsys, "--db", demo["db"], "letters", "batch", *args)
        assert code == 2 and message in err and err.count("\n") == 1, (args, err)


def test_text_batch_output_lists_the_files(capsys, demo, tmp_path):
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "batch", "hearing-reminder", "--hearings-within",
                       "90", "--force", "--out", str(tmp_path / "t"))
    lines = out.splitlines()
    assert lines[0].startswith("Printed ") and any(line.startswith("Print file: ") for line in lines)
    assert sum(1 for line in lines if line.strip().endswith(".pdf")) >= 2
    assert datetime.now().strftime("%Y-%m-%d") in out


def test_unknown_letters_exit_2_and_the_cli_lists_match_the_service(capsys, demo, tmp_path):
    from kantor_cases.cli import letter_commands
    from kantor_cases.services import letters as letter_service

    code, _, err = run(capsys, "--db", demo["db"], "letters", "render", "birthday-card", "--client",
                       str(demo["client"]), "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "no letter called 'birthday-card'" in err and err.count("\n") == 1
    assert letter_commands.BATCH_TEMPLATES == letter_service.BATCH_TEMPLATES


# --- never overwrite (issue 11) -----------------------------------------------------------------------------


def test_render_refuses_an_existing_file_unless_forced(capsys, demo, tmp_path):
    kept = tmp_path / "signed.pdf"
    kept.write_bytes(b"the attorney's signed copy")
    render = ["--db", demo["db"], "letters", "render", "document-request", "--client", str(demo["client"]),
              "--out", str(kept)]
    code, out, err = run(capsys, *render)
    assert code == 2 and err.count("\n") == 1 and out == ""
    assert f"{kept} already exists" in err and "--force" in err
    assert kept.read_bytes() == b"the attorney's signed copy"
    code, out, err = run(capsys, *render, "--force")
    assert code == 0, err
    assert demo["name"] in text_of(kept)


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_render_never_writes_over_the_office_database_even_with_force(capsys, demo, suffix):
    database = Path(demo["db"] + suffix)
    code, out, err = run(capsys, "--db", demo["db"], "letters", "render", "document-request", "--client",
                         str(demo["client"]), "--out", str(database), "--force", "--save")
    assert code == 2 and err.count("\n") == 1 and "office's database" in err, err
    assert not database.exists() or not database.read_bytes().startswith(b"%PDF")
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "list", "--client", str(demo["client"]), "--json")
    assert code == 0 and all(r["template_id"] != "document-request" for r in json.loads(out)), \
        "a refused --save still logged the letter"


def test_regenerate_refuses_an_existing_file_and_the_backups_folder(capsys, demo, tmp_path):
    code, out, err = run(capsys, "--db", demo["db"], "letters", "render", "hearing-reminder", "--matter",
                         str(demo["other_matter"]), "--lang", "en", "--save", "--out", str(tmp_path / "r.pdf"),
                         "--json")
    assert code == 0, err
    letter_id = str(json.loads(out)["letter"]["id"])
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"keep me")
    code, out, err = run(capsys, "--db", demo["db"], "letters", "regenerate", letter_id, "--out", str(kept))
    assert code == 2 and err.count("\n") == 1 and "already exists" in err and kept.read_bytes() == b"keep me"
    backups = locations.resolve(demo["db"]).backups
    backups.mkdir(parents=True, exist_ok=True)
    code, out, err = run(capsys, "--db", demo["db"], "letters", "regenerate", letter_id, "--out",
                         str(backups / "copy.pdf"), "--force")
    assert code == 2 and "backups folder" in err and not (backups / "copy.pdf").exists()
    code, out, err = run(capsys, "--db", demo["db"], "letters", "regenerate", letter_id, "--out", str(kept),
                         "--force")
    assert code == 0 and kept.read_bytes().startswith(b"%PDF")


def test_a_batch_into_a_folder_with_a_same_named_file_leaves_that_file_alone(capsys, demo, tmp_path):
    out_dir = tmp_path / "batch"
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "batch", "hearing-reminder", "--hearings-within",
                       "90", "--force", "--out", str(out_dir), "--json")
    first = json.loads(out)
    taken = Path(first["files"][0])
    taken.write_bytes(b"a letter the attorney annotated")
    code, out, _ = run(capsys, "--db", demo["db"], "letters", "batch", "hearing-reminder", "--hearings-within",
                       "90", "--force", "--out", str(out_dir), "--json")
    second = json.loads(out)
    assert taken.read_bytes() == b"a letter the attorney annotated"
    assert str(taken) not in second["files"] and len(second["files"]) == len(first["files"])
    assert second["combined"] != first["combined"] and Path(first["combined"]).is_file()


def test_a_batch_into_the_backups_folder_is_refused_before_printing(capsys, demo):
    backups = locations.resolve(demo["db"]).backups
    code, out, err = run(capsys, "--db", demo["db"], "letters", "batch", "hearing-reminder", "--hearings-within",
                         "90", "--force", "--out", str(backups / "letters"))
    assert code == 2 and err.count("\n") == 1 and "backups folder" in err, err
    assert not (backups / "letters").exists(), "the refused batch left a folder in the backups folder"


def test_render_prints_a_letter_in_a_language_the_firm_added_and_refuses_one_it_did_not(capsys, demo, tmp_path):
    db = tmp_path / "office.sqlite3"
    shutil.copyfile(demo["db"], db)
    office = Office.open(locations.resolve(str(db)), fallback_user())  # the office's administrator
    try:
        source, _ = office.letters.template_source("hearing-reminder", "en")
        office.letters.save_template("hearing-reminder", "tl",
                                     source.replace("Your next hearing", "Ang susunod ninyong pagdinig"),
                                     "Tagalog version")
    finally:
        office.close()
    out = tmp_path / "tagalog.pdf"
    code, _, err = run(capsys, "--db", str(db), "letters", "render", "hearing-reminder", "--matter",
                       str(demo["matter"]), "--hearing", str(demo["hearing"]), "--lang", "tl", "--out", str(out))
    assert code == 0, err
    assert "Ang susunod ninyong pagdinig" in text_of(out)
    code, _, err = run(capsys, "--db", str(db), "letters", "render", "hearing-reminder", "--matter",
                       str(demo["matter"]), "--lang", "ko", "--out", str(tmp_path / "korean.pdf"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "written in English, Spanish and Tagalog only" in err and "add a Korean version" in err
    assert not (tmp_path / "korean.pdf").exists()
