"""Letters per second of a hearing-reminder batch, logging included, beside the raw renderer.

Builds a demo office big enough for the requested number of reminders, then runs
`LetterService.run_batch` for the nearest window of days that holds at least that many hearings
(by default 500): cold (a fresh office, so the worker processes start inside the measurement) and
warm (again with force, the workers already running). Beside it, the same letters rendered one
after another by `render_letter` alone in this process, and `combine_pdfs` (pypdf) against the
batch's own print-file joiner. It measures; it does not pass or fail.

    .venv/bin/python benchmarks/letter_batch.py [--letters 500] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlcipher3

from kantor_cases.letters import Letterhead, combine_pdfs, render_letter
from kantor_cases.letters.concatenate import concatenate_pdfs
from kantor_cases.services import locations
from kantor_cases.services.office import Office


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--db", type=Path, help="demo office to build or reuse")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="letter-bench-"))
    db = args.db or folder / "office.sqlite3"
    if not db.exists():
        from kantor_cases.services.demo import generate_demo

        office = Office.open(locations.resolve(str(db)), "bench")
        generate_demo(office.database, clients=max(2000, args.letters * 7), seed=7)
        office.close()
        # The demo leaves a fifth of its clients without an A-number, and a reminder refuses to
        # print without one; give them one so that every reminder in the window prints.
        connection = sqlcipher3.connect(str(db))
        connection.execute("UPDATE clients SET a_number = printf('A%09d', 900000000 + id) WHERE a_number IS NULL")
        connection.commit()
        connection.close()

    office = Office.open(locations.resolve(str(db)), "bench")
    days = next((d for d in range(1, 367)
                 if sum(office.letters.batch_candidates("hearing-reminder", d)) >= args.letters), 366)
    to_send, sent = office.letters.batch_candidates("hearing-reminder", days)
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} (other programs' work slows every "
          f"figure); {to_send + sent} hearings in the next {days} days")

    # force: a reused office already has these reminders logged; the batch prints them all again.
    result = office.letters.run_batch("hearing-reminder", hearings_within_days=days, force=True,
                                      out_dir=folder / "cold")
    print(f"batch, cold workers: {result.count} letters in {result.seconds:.2f} s = {result.rate:.0f} letters/s "
          f"({len(result.problems)} refused for missing data)")
    warm = office.letters.run_batch("hearing-reminder", hearings_within_days=days, force=True,
                                    out_dir=folder / "warm")
    print(f"batch, warm workers: {warm.count} letters in {warm.seconds:.2f} s = {warm.rate:.0f} letters/s")

    # The raw renderer on the same data, one process, no files, no database.
    details = [office.letters.get(letter.id) for letter in result.letters]
    office.close()
    started = time.perf_counter()
    pdfs = []
    for letter in details:
        fields = dict(letter.fields)
        head = fields.pop("letterhead")
        letter_date = date.fromisoformat(fields.pop("letter.date"))
        letterhead = Letterhead(**{**head, "address_lines": tuple(head["address_lines"])})
        pdfs.append(render_letter(letter.template_id, letter.language, fields, letterhead, letter_date))
    raw = time.perf_counter() - started
    print(f"render_letter alone, one process: {len(pdfs) / raw:.0f} letters/s "
          f"(batch cold = {result.rate / (len(pdfs) / raw):.2f}x, warm = {warm.rate / (len(pdfs) / raw):.2f}x)")
    started = time.perf_counter()
    joined = concatenate_pdfs(pdfs)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    pypdf = combine_pdfs(pdfs)
    theirs = time.perf_counter() - started
    print(f"print file: concatenate_pdfs {ours * 1000:.0f} ms ({len(joined) / 1e6:.1f} MB), "
          f"pypdf combine_pdfs {theirs * 1000:.0f} ms ({len(pypdf) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
