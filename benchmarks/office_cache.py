"""The benchmark's demo offices: built once into .bench/ and reused while nothing they depend on changed.

A cached office is keyed by its size, the schema revision and a hash of the demo generator, so a
new migration or a change to what the demo writes builds a fresh one. The generation time is kept
beside it (with the date and the load it was built under), because the demo figure is part of the
benchmark. Measurements work on copies, so nothing a benchmark writes leaks into the cache.

The encrypted office is the plain one converted by `accounts.encrypt_office` (the same rows, so the
two runs compare the encryption and nothing else), kept under the same key with its keys file. Its
one user signs in as BENCH_USER with BENCH_PASSWORD, a password known to anyone who reads this: a
demo office of fictional clients has nothing to hide.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kantor_cases.db import migrate, office_keys
from kantor_cases.db.models import User
from kantor_cases.services import accounts, demo, locations
from kantor_cases.services.office import Office

from .measure import load_average

SEED = 7
BENCH_USER = "bench"
BENCH_PASSWORD = "bench-password-for-demo-offices-only"


@dataclass(frozen=True)
class CachedOffice:
    path: Path | None  # None: the office is in a PostgreSQL database (benchmarks/postgres.py)
    clients: int
    demo_s: float
    built_at: str
    built_under_load: float | None
    fresh: bool  # built in this run (so demo_s was measured in this run)
    encrypt_s: float | None = None  # how long encrypt_office took on it (encrypted offices only)


def office_key(clients: int) -> str:
    # This module is hashed with the generator: it adds the bench's own user to what the demo writes.
    generator = hashlib.sha256(Path(demo.__file__).read_bytes() + Path(__file__).read_bytes()).hexdigest()[:10]
    return f"office-{clients}-{migrate.head_revision()}-{generator}"


def cached_office(folder: Path, clients: int, rebuild: bool = False,
                  say: Callable[[str], None] = print) -> CachedOffice:
    folder.mkdir(parents=True, exist_ok=True)
    key = office_key(clients)
    path = folder / f"{key}.sqlite3"
    meta_path = folder / f"{key}.json"
    if not rebuild and path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return CachedOffice(path, clients, meta["demo_s"], meta["built_at"], meta.get("load"), False)
    for stale in folder.glob(f"office-{clients}-*"):
        stale.unlink()
    building = folder / f"{key}.building.sqlite3"
    for leftover in folder.glob(f"{building.name}*"):
        leftover.unlink()
    say(f"building a demo office of {clients:,} clients (seed {SEED}) in {building.parent} …")
    load = load_average()
    office = Office.open(locations.resolve(str(building)), "demo")
    try:
        started = time.perf_counter()
        demo.generate_demo(office.database, clients=clients, seed=SEED)
        demo_s = time.perf_counter() - started
        # The benchmark acts as an administrator (a name not in the users table may only read).
        with office.database.write() as session:
            session.add(User(name=BENCH_USER, role="admin", created_by=BENCH_USER, updated_by=BENCH_USER))
    finally:
        office.close()  # the last connection closing folds the WAL into the file: safe to copy
    shutil.rmtree(building.parent / "backups", ignore_errors=True)
    os.replace(building, path)
    built_at = datetime.now().isoformat(timespec="seconds")
    meta_path.write_text(json.dumps({"demo_s": demo_s, "built_at": built_at, "load": load}), encoding="utf-8")
    return CachedOffice(path, clients, demo_s, built_at, load, True)


def cached_encrypted_office(folder: Path, clients: int, rebuild: bool = False,
                            say: Callable[[str], None] = print) -> CachedOffice:
    """The cached plain office of `clients`, encrypted (built once from it, like it)."""
    plain = cached_office(folder, clients, rebuild=rebuild, say=say)
    assert plain.path is not None
    key = f"{office_key(clients)}-encrypted"
    path = folder / f"{key}.sqlite3"
    meta_path = folder / f"{key}.json"
    if not plain.fresh and path.exists() and office_keys.keys_path(path).exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        # Signing in wraps the password again when the default cost went up since the office was
        # cached (office_keys.unlock): done here once, not inside every measured start-up.
        office_keys.unlock(path, BENCH_USER, BENCH_PASSWORD, datetime.now())
        return CachedOffice(path, clients, plain.demo_s, plain.built_at, plain.built_under_load, False,
                            meta["encrypt_s"])
    # Its own folder: encrypting takes a plain safety backup beside the office, thrown away here.
    workshop = folder / f"encrypting-{clients}"
    shutil.rmtree(workshop, ignore_errors=True)
    say(f"encrypting a copy of the {clients:,}-client demo office in {workshop} …")
    building = working_copy(plain.path, workshop, key)
    office = Office.open(locations.resolve(str(building)), BENCH_USER)
    started = time.perf_counter()
    accounts.encrypt_office(office, "Benchmark", BENCH_PASSWORD)  # closes the office
    encrypt_s = time.perf_counter() - started
    for companion in ("", office_keys.SIDECAR_SUFFIX):
        os.replace(building.with_name(building.name + companion), path.with_name(path.name + companion))
    shutil.rmtree(workshop, ignore_errors=True)
    meta_path.write_text(json.dumps({"encrypt_s": encrypt_s}), encoding="utf-8")
    return CachedOffice(path, clients, plain.demo_s, plain.built_at, plain.built_under_load, plain.fresh, encrypt_s)


def working_copy(cached: Path, folder: Path, name: str) -> Path:
    """A private copy of a closed cached office and, when it is encrypted, its keys file (a plain file
    copy is safe: no -wal beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.sqlite3"
    for old in folder.glob(f"{name}.sqlite3*"):
        old.unlink()
    shutil.copyfile(cached, target)
    keys = office_keys.keys_path(cached)
    if keys.exists():
        shutil.copyfile(keys, office_keys.keys_path(target))
    return target
