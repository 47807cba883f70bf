"""What one report's module hands back to the service: its tables, charts and totals, and how many
restricted records it left out (the service turns those into the note the reader sees)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kantor_cases.domain.reports import ChartSpec, ReportTable


@dataclass(frozen=True)
class Computed:
    tables: tuple[ReportTable, ...]
    charts: tuple[ChartSpec, ...] = ()
    totals: dict[str, object] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    restricted_matters: int = 0
    restricted_clients: int = 0
