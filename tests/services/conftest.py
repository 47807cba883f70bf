"""Fixtures shared by the service tests."""

from __future__ import annotations

from dataclasses import replace

import pytest


@pytest.fixture
def letterhead(office):
    """The test office with a full letterhead (letters refuse to print without one)."""
    firm = office.settings.firm()
    office.settings.update_firm(replace(firm, firm_name="Law Offices of Miriam R. Kantor",
                                        attorney_name="Miriam R. Kantor", bar_number="123456",
                                        street="9454 Wilshire Boulevard, Suite 600", city="Beverly Hills",
                                        state="CA", postal_code="90212", phone="(310) 555-0142",
                                        email="office@kantorlaw.example"), firm.version)
    return office
