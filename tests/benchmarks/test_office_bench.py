"""The SQLite benchmark's offices and children: the encrypted office is the plain one converted, its
copies carry their keys file and sign in with the bench password, the bench acts as an
administrator, and the memory figure is the child's own."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import office_cache
from benchmarks.office_cache import BENCH_PASSWORD, BENCH_USER, cached_encrypted_office, working_copy
from benchmarks.startup_bench import _environment
from kantor_cases.db import office_keys
from kantor_cases.db.office_keys import KdfParameters
from kantor_cases.services import locations
from kantor_cases.services.office import Office

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 30


@pytest.fixture(autouse=True)
def cheap_key_derivation(monkeypatch):
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))


def _open(path: Path, password: str | None) -> Office:
    return Office.open(locations.resolve(str(path)), BENCH_USER, password=password)


def test_the_encrypted_office_is_the_plain_one_converted_and_built_once(tmp_path):
    encrypted = cached_encrypted_office(tmp_path, CLIENTS, say=lambda _text: None)
    assert encrypted.path is not None and encrypted.encrypt_s is not None
    assert office_keys.is_encrypted_office(encrypted.path)
    again = cached_encrypted_office(tmp_path, CLIENTS, say=lambda _text: None)
    assert again.path == encrypted.path and not again.fresh
    plain = office_cache.cached_office(tmp_path, CLIENTS)
    assert plain.path is not None and not office_keys.is_encrypted_office(plain.path)
    offices = {}
    for kind, path, password in (("plain", plain.path, None), ("encrypted", encrypted.path, BENCH_PASSWORD)):
        office = _open(working_copy(path, tmp_path / "work", kind), password)
        try:
            offices[kind] = (office.encrypted, office.clients.count(),
                             {u.name: u.role for u in office.settings.users()}[BENCH_USER])
        finally:
            office.close()
    assert offices == {"plain": (False, CLIENTS, "admin"), "encrypted": (True, CLIENTS, "admin")}


def test_a_working_copy_of_an_encrypted_office_carries_its_keys_file(tmp_path):
    encrypted = cached_encrypted_office(tmp_path, CLIENTS, say=lambda _text: None)
    assert encrypted.path is not None
    copy = working_copy(encrypted.path, tmp_path / "work", "office")
    assert office_keys.keys_path(copy).read_bytes() == office_keys.keys_path(encrypted.path).read_bytes()
    # A second copy under the same name replaces the first, keys file included.
    copy = working_copy(encrypted.path, tmp_path / "work", "office")
    office = _open(copy, BENCH_PASSWORD)
    office.close()


def test_a_child_signs_in_as_a_scripted_desk_with_its_bytecode_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("KANTOR_CASES_USER", "someone-else")
    env = _environment(tmp_path, BENCH_PASSWORD)
    assert env["KANTOR_CASES_USER"] == BENCH_USER
    password_file = Path(env["KANTOR_CASES_PASSWORD_FILE"])
    assert password_file.read_text(encoding="utf-8").splitlines() == [BENCH_PASSWORD]
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert "PYTHONDONTWRITEBYTECODE" not in env and env["PYTHONPYCACHEPREFIX"].startswith(str(tmp_path))
    plain = _environment(tmp_path, None)
    assert "KANTOR_CASES_USER" not in plain and "KANTOR_CASES_PASSWORD_FILE" not in plain


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="VmHWM is Linux's")
def test_the_memory_figure_is_the_childs_own_not_its_parents():
    # The parent holds 400 MB when it starts the child, as the benchmark process does after an import.
    ballast = bytearray(400 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])
    probe = ("import resource; from benchmarks.app_child import memory_kib; "
             "print(memory_kib('VmHWM'), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    del ballast
    own_kib, inherited_kib = (int(x) for x in done.stdout.split())
    assert own_kib < 100 * 1024
    assert inherited_kib > 400 * 1024  # what the benchmark reported before: the parent's size
