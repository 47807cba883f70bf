"""covering indexes for the reports (issue 16)

Each report groups or counts over a range of one table; without these, SQLite walked an index on the
range and fetched every row from the table (a 300,000-client office: caseload 6.9 s, hearings 13.8 s
on the benchmark machine). Each index holds every column its report reads, so a report reads the
index alone: the open matters by attorney, kind and statuses; the matters opened in a range; the
hearings in a range by court and judge; the clients taken in during a range by language, country
and referral source. The client id closes each so that leaving out restricted clients needs no row.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_matters_open_caseload': ('matters', ['closed_on', 'responsible_attorney_id', 'kind', 'firm_status',
                                             'government_status', 'client_id']),
    'ix_matters_opened': ('matters', ['opened_on', 'kind', 'responsible_attorney_id', 'closed_on',
                                      'government_status', 'client_id']),
    'ix_hearings_starts_court_judge': ('hearings', ['starts_at', 'court_id', 'judge', 'matter_id']),
    'ix_clients_intake': ('clients', ['intake_date', 'preferred_language', 'country_of_birth', 'referral_source']),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
