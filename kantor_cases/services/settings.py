"""The firm's letterhead, its users, the parties it deals with and the court reference list."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kantor_cases.db import office_keys
from kantor_cases.db.models import Court, FirmSettings, Party, User
from kantor_cases.domain import names
from kantor_cases.domain import statuses as st
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.records import (
    CourtDetails,
    FirmSettingsDetails,
    PartyDetails,
    PartyDraft,
    UserDetails,
)

from . import audit, search
from .base import Service
from .validation import normalize_email, normalize_phone

FIRM_FIELDS = ("firm_name", "attorney_name", "bar_number", "street", "city", "state", "postal_code", "phone",
               "email", "logo_path", "documents_dir")
COURT_FIELDS = ("name", "street", "floor", "city", "state", "postal_code", "phone", "detained", "active", "notes")


def _user_details(user: User) -> UserDetails:
    return UserDetails(user.id, user.name, user.initials, user.role, user.email, user.bar_number, user.active,
                       user.version, user.full_name or user.name)


def _court_details(court: Court) -> CourtDetails:
    return CourtDetails(court.id, court.code, court.name, court.street, court.floor, court.city, court.state,
                        court.postal_code, court.phone, court.detained, court.active, court.notes, court.version)


def _party_details(party: Party) -> PartyDetails:
    return PartyDetails(kind=party.kind, name=party.name, contact_name=party.contact_name, street=party.street,
                        city=party.city, state=party.state, postal_code=party.postal_code, phone=party.phone,
                        email=party.email, notes=party.notes, id=party.id, version=party.version)


class SettingsService(Service):
    # --- letterhead ------------------------------------------------------------------------------------

    def firm(self) -> FirmSettingsDetails:
        with self._db.read() as session:
            row = self.load(session, FirmSettings, 1, "Firm settings")
            return FirmSettingsDetails(**{f: getattr(row, f) for f in FIRM_FIELDS}, version=row.version)

    def update_firm(self, details: FirmSettingsDetails, expected_version: int) -> FirmSettingsDetails:
        self.require("settings.firm")
        values = {f: names.clean(getattr(details, f)) for f in FIRM_FIELDS}
        errors = {}
        values["phone"], error = normalize_phone(values["phone"])
        if error:
            errors["phone"] = error
        values["email"], error = normalize_email(values["email"])
        if error:
            errors["email"] = error
        if errors:
            raise ValidationError(errors)
        with self._db.write() as session:
            row = self.load(session, FirmSettings, 1, "Firm settings")
            self.check_version(row, expected_version, "The firm settings")
            self.save_with_audit(session, row, values, "firm_settings", "edited the letterhead")
            session.flush()
            return FirmSettingsDetails(**{f: getattr(row, f) for f in FIRM_FIELDS}, version=row.version)

    # --- users ---------------------------------------------------------------------------------------

    def users(self, include_inactive: bool = False) -> list[UserDetails]:
        with self._db.read() as session:
            statement = select(User).order_by(User.name)
            if not include_inactive:
                statement = statement.where(User.active.is_(True))
            return [_user_details(u) for u in session.scalars(statement)]

    def attorneys(self) -> list[UserDetails]:
        return [u for u in self.users() if u.role == "attorney"]

    def user_by_name(self, name: str) -> UserDetails | None:
        with self._db.read() as session:
            user = session.scalars(select(User).where(func.lower(User.name) == name.strip().lower())).first()
            return _user_details(user) if user else None

    def save_user(self, name: str, initials: str = "", role: str = "staff", email: str = "", bar_number: str = "",
                  active: bool = True, user_id: int | None = None, expected_version: int | None = None,
                  full_name: str | None = None) -> UserDetails:
        """Add or edit a user (`full_name` None keeps theirs; a new user's defaults to the user name). An
        encrypted office's keys file gets the new full name for its sign-in list; a user who signs in
        there keeps their user name, which their password's key is bound to."""
        self.require("users.manage")
        name = names.clean(name)
        errors = {}
        if not name:
            errors["name"] = "A user needs a name."
        if role not in st.USER_ROLES:
            errors["role"] = "Choose attorney, staff, admin or read-only."
        email, error = normalize_email(email)
        if error:
            errors["email"] = error
        if errors:
            raise ValidationError(errors)
        initials = names.clean(initials).upper() or "".join(p[0] for p in name.split()[:3]).upper()
        values: dict[str, Any] = {"name": name, "initials": initials[:8], "role": role, "email": email,
                                  "bar_number": names.clean(bar_number), "active": active}
        if full_name is not None or user_id is None:
            values["full_name"] = names.clean(full_name or "") or name
        with self._db.write() as session:
            clash = session.scalars(select(User).where(func.lower(User.name) == name.lower())).first()
            if clash is not None and clash.id != user_id:
                raise ValidationError({"name": f"There is already a user called {clash.name}."})
            if user_id is None:
                self._keep_the_first_user_in_charge(session, name)
                user = User(**values, created_by=self.user, updated_by=self.user)
                session.add(user)
                session.flush()
                audit.record(session, self.user, "create", "user", user.id, f"added the user {name} ({role})")
            else:
                user = self.load(session, User, user_id, "User")
                self.check_version(user, expected_version, "This user")
                if user.name != name and user.name in self._key_holders():
                    raise ValidationError({"name": f"{user.name} signs in with this user name, so it cannot "
                                                   "change; add a new user instead."})
                self.save_with_audit(session, user, values, "user", f"edited the user {name}")
                session.flush()
            if "full_name" in values:
                self._copy_full_name_to_keys(user.name, user.full_name)
            return _user_details(user)

    def _keep_the_first_user_in_charge(self, session: Session, adding: str) -> None:
        """Whoever adds the first user to an office with none acted as its administrator until now;
        they are added as one first (audited), or the office's users would make them a read-only
        stranger at once (domain/permissions.py)."""
        if adding.lower() == self.user.lower() or session.scalar(select(User.id).limit(1)) is not None:
            return
        admin = User(name=self.user, full_name=self.user, role="admin", created_by=self.user, updated_by=self.user,
                     initials="".join(p[0] for p in self.user.split()[:3]).upper())
        session.add(admin)
        session.flush()
        audit.record(session, self.user, "create", "user", admin.id,
                     f"added {self.user} as the administrator, the first user of the office")

    def _key_holders(self) -> set[str]:
        """Who signs in with a key of an encrypted office's keys file (nobody elsewhere)."""
        if self._db.path is None or self._db.key is None:
            return set()
        return set(office_keys.OfficeKeys.load(self._db.path).users)

    def _copy_full_name_to_keys(self, name: str, full_name: str) -> None:
        # Inside the transaction, under the write lock: two desks never interleave their copies.
        if self._db.path is None or self._db.key is None:
            return
        with office_keys.editing(self._db.path) as keys:
            if name in keys.users:
                keys.users[name].full_name = full_name

    # --- courts ----------------------------------------------------------------------------------------

    def courts(self, include_closed: bool = False) -> list[CourtDetails]:
        with self._db.read() as session:
            statement = select(Court).order_by(Court.name)
            if not include_closed:
                statement = statement.where(Court.active.is_(True))
            return [_court_details(c) for c in session.scalars(statement)]

    def update_court(self, court: CourtDetails, expected_version: int) -> CourtDetails:
        self.require("settings.lists")
        values = {f: getattr(court, f) for f in COURT_FIELDS}
        if not names.clean(values["name"]):
            raise ValidationError({"name": "A court needs a name."})
        with self._db.write() as session:
            row = self.load(session, Court, court.id, "Court")
            self.check_version(row, expected_version, "This court")
            self.save_with_audit(session, row, values, "court", f"edited the court {row.code}")
            session.flush()
            return _court_details(row)

    # --- parties ---------------------------------------------------------------------------------------

    def parties(self, kind: str | None = None, name_prefix: str = "", limit: int = 200) -> list[PartyDetails]:
        with self._db.read() as session:
            statement = select(Party).order_by(Party.name_folded).limit(limit)
            if kind:
                statement = statement.where(Party.kind == kind)
            if name_prefix.strip():
                statement = statement.where(Party.name_folded.like(
                    re.sub(r"([%_\\])", r"\\\1", names.fold(name_prefix)) + "%", escape="\\"))
            return [_party_details(p) for p in session.scalars(statement)]

    def save_party(self, draft: PartyDraft, party_id: int | None = None,
                   expected_version: int | None = None) -> PartyDetails:
        self.require("settings.lists")
        errors = {}
        name = names.clean(draft.name)
        if not name:
            errors["name"] = "An organisation needs a name."
        if draft.kind not in st.PARTY_KINDS:
            errors["kind"] = "Choose employer, opposing counsel, agency, court, OPLA office or other."
        phone, error = normalize_phone(draft.phone)
        if error:
            errors["phone"] = error
        email, error = normalize_email(draft.email)
        if error:
            errors["email"] = error
        if errors:
            raise ValidationError(errors)
        values = {**asdict(draft), "name": name, "phone": phone, "email": email, "name_folded": names.fold(name)}
        with self._db.write() as session:
            if party_id is None:
                party = Party(**values, created_by=self.user, updated_by=self.user)
                session.add(party)
                session.flush()
                audit.record(session, self.user, "create", "party", party.id,
                             f"added the {st.PARTY_KINDS[draft.kind].lower()} {name}")
            else:
                party = self.load(session, Party, party_id, "Organisation")
                self.check_version(party, expected_version, "This organisation")
                self.save_with_audit(session, party, values, "party", f"edited {name}")
                session.flush()
            search.upsert(session, search.party_entry(party))
            return _party_details(party)
