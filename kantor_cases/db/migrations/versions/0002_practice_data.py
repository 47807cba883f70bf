"""Practice data: clients, matters, removal cases, hearings, PD requests, employment claims, search.

Also seeds the California immigration courts as editable reference data and, on SQLite, the
FTS5 trigram index that mirrors search_entries.text through triggers.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('given_name', sa.String(length=200), nullable=False),
    sa.Column('middle_name', sa.String(length=200), nullable=False),
    sa.Column('family_name', sa.String(length=200), nullable=False),
    sa.Column('second_family_name', sa.String(length=200), nullable=False),
    sa.Column('aliases', sa.Text(), nullable=False),
    sa.Column('sort_name', sa.String(length=400), nullable=False),
    sa.Column('name_folded', sa.String(length=400), nullable=False),
    sa.Column('family_folded', sa.String(length=400), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('country_of_birth', sa.String(length=100), nullable=False),
    sa.Column('nationality', sa.String(length=100), nullable=False),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('preferred_language', sa.String(length=5), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('phone_alt', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('a_number', sa.String(length=10), nullable=True),
    sa.Column('intake_date', sa.Date(), nullable=True),
    sa.Column('referral_source', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('detained', sa.Boolean(), nullable=False),
    sa.Column('detention_facility', sa.String(length=200), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clients'))
    )
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clients_a_number'), ['a_number'], unique=False)
        batch_op.create_index('ix_clients_dob', ['date_of_birth'], unique=False)
        batch_op.create_index('ix_clients_family_folded', ['family_folded'], unique=False)
        batch_op.create_index('ix_clients_language_sort', ['preferred_language', 'sort_name', 'id'], unique=False)
        batch_op.create_index('ix_clients_name_folded', ['name_folded'], unique=False)
        batch_op.create_index('ix_clients_sort', ['sort_name', 'id'], unique=False)

    op.create_table('courts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('floor', sa.String(length=60), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('detained', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courts')),
    sa.UniqueConstraint('code', name=op.f('uq_courts_code'))
    )
    op.create_table('parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_folded', sa.String(length=300), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parties'))
    )
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parties_name_folded'), ['name_folded'], unique=False)

    op.create_table('search_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=400), nullable=False),
    sa.Column('detail', sa.String(length=400), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries'))
    )
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.create_index('ix_search_entries_ref', ['kind', 'ref_id'], unique=True)

    op.create_table('matters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('responsible_attorney_id', sa.Integer(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('firm_status', sa.String(length=30), nullable=False),
    sa.Column('government_status', sa.String(length=30), nullable=True),
    sa.Column('conflict_check', sa.Text(), nullable=False),
    sa.Column('conflict_acknowledged_by', sa.String(length=80), nullable=False),
    sa.Column('conflict_acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_matters_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_attorney_id'], ['users.id'], name=op.f('fk_matters_responsible_attorney_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matters'))
    )
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matters_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_matters_kind_status', ['kind', 'firm_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_matters_responsible_attorney_id'), ['responsible_attorney_id'], unique=False)

    op.create_table('related_persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('given_name', sa.String(length=200), nullable=False),
    sa.Column('family_name', sa.String(length=200), nullable=False),
    sa.Column('name_folded', sa.String(length=400), nullable=False),
    sa.Column('relationship', sa.String(length=30), nullable=False),
    sa.Column('immigration_status', sa.String(length=10), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('a_number', sa.String(length=10), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_related_persons_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_related_persons'))
    )
    with op.batch_alter_table('related_persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_related_persons_a_number'), ['a_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_related_persons_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_related_persons_name_folded'), ['name_folded'], unique=False)

    op.create_table('agency_filings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(length=10), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('right_to_sue_issued_on', sa.Date(), nullable=True),
    sa.Column('right_to_sue_received_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_agency_filings_matter_id_matters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_filings'))
    )
    with op.batch_alter_table('agency_filings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_filings_matter_id'), ['matter_id'], unique=False)

    op.create_table('benefit_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('receipt_number', sa.String(length=13), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_benefit_applications_matter_id_matters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_applications'))
    )
    with op.batch_alter_table('benefit_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_applications_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefit_applications_receipt_number'), ['receipt_number'], unique=False)

    op.create_table('employment_claims',
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('claim_types', sa.Text(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=True),
    sa.Column('opposing_counsel_id', sa.Integer(), nullable=True),
    sa.Column('right_to_sue_issued_on', sa.Date(), nullable=True),
    sa.Column('right_to_sue_received_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['parties.id'], name=op.f('fk_employment_claims_employer_id_parties')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_employment_claims_matter_id_matters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opposing_counsel_id'], ['parties.id'], name=op.f('fk_employment_claims_opposing_counsel_id_parties')),
    sa.PrimaryKeyConstraint('matter_id', name=op.f('pk_employment_claims'))
    )
    with op.batch_alter_table('employment_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employment_claims_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employment_claims_opposing_counsel_id'), ['opposing_counsel_id'], unique=False)

    op.create_table('hearings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=True),
    sa.Column('courtroom', sa.String(length=60), nullable=False),
    sa.Column('judge', sa.String(length=200), nullable=False),
    sa.Column('hearing_type', sa.String(length=20), nullable=False),
    sa.Column('interpreter_language', sa.String(length=60), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['court_id'], ['courts.id'], name=op.f('fk_hearings_court_id_courts')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_hearings_matter_id_matters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearings'))
    )
    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearings_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearings_starts_at'), ['starts_at'], unique=False)

    op.create_table('pd_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('regime', sa.String(length=20), nullable=False),
    sa.Column('action_requested', sa.String(length=30), nullable=False),
    sa.Column('opla_office_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=60), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('status_changed_on', sa.Date(), nullable=False),
    sa.Column('positive_factors', sa.Text(), nullable=False),
    sa.Column('negative_factors', sa.Text(), nullable=False),
    sa.Column('factors_notes', sa.Text(), nullable=False),
    sa.Column('exhibits', sa.Text(), nullable=False),
    sa.Column('background_check', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_pd_requests_matter_id_matters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opla_office_id'], ['parties.id'], name=op.f('fk_pd_requests_opla_office_id_parties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pd_requests'))
    )
    with op.batch_alter_table('pd_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pd_requests_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pd_requests_status'), ['status'], unique=False)

    op.create_table('removal_cases',
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=True),
    sa.Column('judge', sa.String(length=200), nullable=False),
    sa.Column('proceeding_type', sa.String(length=60), nullable=False),
    sa.Column('custody', sa.String(length=20), nullable=False),
    sa.Column('nta_date', sa.Date(), nullable=True),
    sa.Column('charges', sa.Text(), nullable=False),
    sa.Column('relief_sought', sa.Text(), nullable=False),
    sa.Column('last_verified_on', sa.Date(), nullable=True),
    sa.Column('last_verified_via', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['court_id'], ['courts.id'], name=op.f('fk_removal_cases_court_id_courts')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_removal_cases_matter_id_matters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('matter_id', name=op.f('pk_removal_cases'))
    )
    with op.batch_alter_table('removal_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_removal_cases_court_id'), ['court_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_removal_cases_last_verified_on'), ['last_verified_on'], unique=False)

    op.create_table('status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('pd_request_id', sa.Integer(), nullable=True),
    sa.Column('track', sa.String(length=12), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_name', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_status_changes_matter_id_matters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pd_request_id'], ['pd_requests.id'], name=op.f('fk_status_changes_pd_request_id_pd_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_changes'))
    )
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_changes_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_status_changes_pd_request_id'), ['pd_request_id'], unique=False)

    _seed_courts()
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH_DDL:
            op.execute(statement)


# (code, name, street, floor/suite, city, postal code, phone, detained, active, notes)
# Addresses from shared/reference/domain-research.md; several are from secondary sources and are
# meant to be checked against the EOIR court pages (they are editable in Settings).
CALIFORNIA_COURTS = [
    ("LOS", "Los Angeles Immigration Court – Olive Street", "606 S. Olive Street", "15th Floor",
     "Los Angeles", "90014", "213-894-2811", False, True, "Courtrooms on floors 14–18."),
    ("NLA", "Los Angeles Immigration Court – N. Los Angeles Street", "300 North Los Angeles Street",
     "Room 4330", "Los Angeles", "90012", "213-576-4701", True, True, ""),
    ("VNS", "Van Nuys Immigration Court", "6230 Van Nuys Blvd.", "3rd Floor, Suite 300", "Van Nuys",
     "91401", "", False, True, "Address from a secondary source; verify with EOIR."),
    ("WLA", "West Los Angeles Immigration Court", "5245 Pacific Concourse Drive", "", "Los Angeles",
     "90045", "310-335-2100", False, True, "Address from a secondary source; verify with EOIR."),
    ("SNC", "Santa Ana Immigration Court", "1241 East Dyer Road", "Suite 200", "Santa Ana", "92705",
     "714-481-4900", False, True, "Opened 29 Nov 2021."),
    ("ADL", "Adelanto Immigration Court", "10250 Rancho Road", "Suite 201A", "Adelanto", "92301",
     "760-561-6500", True, True, "Adelanto ICE Processing Center."),
    ("SND", "San Diego Immigration Court", "880 Front Street", "Suite 4240", "San Diego", "92101",
     "", False, True, ""),
    ("OTM", "Otay Mesa Immigration Court", "7488 Calzada de la Fuente", "", "San Diego", "92154",
     "619-661-9119", True, True, "Otay Mesa Detention Center; ZIP code unconfirmed."),
    ("IMP", "Imperial Immigration Court", "2409 La Brucherie Road", "", "Imperial", "92251", "", True,
     True, ""),
    ("SFR", "San Francisco Immigration Court", "100 Montgomery Street", "Suite 800", "San Francisco",
     "94104", "415-705-4415", False, True, "Detained docket: 630 Sansome Street, Room 475."),
    ("CCC", "Concord Immigration Court", "1855 Gateway Boulevard", "Suite 850", "Concord", "94520",
     "925-680-9015", False, True, "Address from a secondary source; verify with EOIR."),
    ("SMO", "Sacramento Immigration Court", "650 Capitol Mall", "Suite 4-200", "Sacramento", "95814",
     "916-447-9301", False, True, "John Moss Federal Building."),
    ("LAN", "Lancaster Immigration Court (closed)", "", "", "Lancaster", "", "", True, False,
     "Closed 31 Oct 2012; cases moved to Los Angeles."),
    ("ELC", "El Centro Immigration Court (closed)", "", "", "El Centro", "", "", True, False,
     "Closed 30 Sep 2014; cases moved to Imperial."),
]


def _seed_courts() -> None:
    courts = sa.table(
        "courts", *(sa.column(name) for name in (
            "code", "name", "street", "floor", "city", "state", "postal_code", "phone", "detained",
            "active", "notes", "version", "created_at", "created_by", "updated_at", "updated_by")),
    )
    now = datetime.now().replace(microsecond=0)
    op.bulk_insert(courts, [
        dict(code=code, name=name, street=street, floor=floor, city=city, state="CA", postal_code=postal,
             phone=phone, detained=detained, active=active, notes=notes, version=1, created_at=now,
             created_by="setup", updated_at=now, updated_by="setup")
        for code, name, street, floor, city, postal, phone, detained, active, notes in CALIFORNIA_COURTS
    ])


# An external-content FTS5 table over search_entries.text. trigram finds any 3-character
# fragment (partial names, A-number pieces); remove_diacritics lets "nunez" match "Núñez".
SQLITE_SEARCH_DDL = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(text, content='search_entries', content_rowid='id', "
    "tokenize='trigram remove_diacritics 1')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO search_fts(rowid, text) VALUES (new.id, new.text); END",
]


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("search_entries_ai", "search_entries_ad", "search_entries_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_changes_pd_request_id'))
        batch_op.drop_index(batch_op.f('ix_status_changes_matter_id'))

    op.drop_table('status_changes')
    with op.batch_alter_table('removal_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_removal_cases_last_verified_on'))
        batch_op.drop_index(batch_op.f('ix_removal_cases_court_id'))

    op.drop_table('removal_cases')
    with op.batch_alter_table('pd_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pd_requests_status'))
        batch_op.drop_index(batch_op.f('ix_pd_requests_matter_id'))

    op.drop_table('pd_requests')
    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearings_starts_at'))
        batch_op.drop_index(batch_op.f('ix_hearings_matter_id'))

    op.drop_table('hearings')
    with op.batch_alter_table('employment_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employment_claims_opposing_counsel_id'))
        batch_op.drop_index(batch_op.f('ix_employment_claims_employer_id'))

    op.drop_table('employment_claims')
    with op.batch_alter_table('benefit_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_applications_receipt_number'))
        batch_op.drop_index(batch_op.f('ix_benefit_applications_matter_id'))

    op.drop_table('benefit_applications')
    with op.batch_alter_table('agency_filings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_filings_matter_id'))

    op.drop_table('agency_filings')
    with op.batch_alter_table('related_persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_related_persons_name_folded'))
        batch_op.drop_index(batch_op.f('ix_related_persons_client_id'))
        batch_op.drop_index(batch_op.f('ix_related_persons_a_number'))

    op.drop_table('related_persons')
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matters_responsible_attorney_id'))
        batch_op.drop_index('ix_matters_kind_status')
        batch_op.drop_index(batch_op.f('ix_matters_client_id'))

    op.drop_table('matters')
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_search_entries_ref')

    op.drop_table('search_entries')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parties_name_folded'))

    op.drop_table('parties')
    op.drop_table('courts')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index('ix_clients_sort')
        batch_op.drop_index('ix_clients_name_folded')
        batch_op.drop_index('ix_clients_language_sort')
        batch_op.drop_index('ix_clients_family_folded')
        batch_op.drop_index('ix_clients_dob')
        batch_op.drop_index(batch_op.f('ix_clients_a_number'))

    op.drop_table('clients')
