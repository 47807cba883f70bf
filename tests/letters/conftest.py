"""Fixtures for the letter tests."""

from __future__ import annotations

import pytest
from letters_support import LETTERHEAD

from kantor_cases.letters import Letterhead


@pytest.fixture
def letterhead() -> Letterhead:
    return LETTERHEAD
