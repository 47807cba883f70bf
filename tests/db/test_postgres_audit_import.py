"""An import's audit rows on a shared PostgreSQL office go into the chain as they are inserted
(db/audit_chain.insert_sealed), while other desks save and seal their own rows at the same time."""

from __future__ import annotations

import threading

from postgres_support import URL, emptied_office, needs_postgres

from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import audit, locations
from kantor_cases.services.office import Office

pytestmark = needs_postgres


def test_an_import_and_other_desks_saves_at_once_keep_one_valid_chain(tmp_path):
    emptied_office().close()
    source = tmp_path / "clientes Núñez.csv"
    source.write_text("first_name,last_name\n" + "".join(f"Importado{i},Reyes\n" for i in range(400)),
                      encoding="utf-8")
    desks = [Office.open(locations.resolve(URL), name) for name in ("Ana", "Ruth", "Luis")]
    start = threading.Barrier(len(desks))
    failures: list[BaseException] = []
    imported: list[int] = []

    def work(desk: Office) -> None:
        try:
            start.wait()
            if desk.user == "Ana":
                imported.append(desk.client_csv.import_file(source).imported)
                return
            for i in range(15):
                desk.clients.create(ClientDraft(given_name=f"{desk.user}{i}", family_name="Reyes"))
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(desk,)) for desk in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert failures == [] and imported == [400]
        verdict = audit.verify_trail(desks[0].database, None)
        assert verdict.ok, verdict.problems
        with desks[0].database.read() as session:
            total, imports = session.connection().exec_driver_sql(
                "SELECT count(*), count(*) FILTER (WHERE summary LIKE 'imported the client from %%') "
                "FROM audit_events").one()
        assert verdict.rows == total and imports == 400 and total >= 400 + 2 * 15
        assert desks[0].check() == []
    finally:
        for desk in desks:
            desk.close()
