"""What the acting user's role may do, as the window shows it: a control for something the role
cannot do is disabled and its tooltip says why (the permission table's sentence). The services
refuse it anyway; this only spares the click."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from kantor_cases.domain import permissions


def allow(control: QWidget | QAction, role: str, action: str, usable: bool = True, tip: str = "") -> bool:
    """Enable `control` when it is `usable` now and `role` may do `action`; its tooltip is `tip`, or
    the reason the role may not. Returns whether the role may."""
    may = permissions.allowed(role, action)
    control.setEnabled(usable and may)
    control.setToolTip(tip if may else permissions.denial(role, action))
    return may


def permission_table_html() -> str:
    """The permission table (domain/permissions.py) as the HTML table Settings → Users shows."""
    heads = "".join(f"<th>{escape(permissions.ROLE_LABELS[role])}</th>" for role in permissions.ROLES)
    rows = "".join(
        f"<tr><td>{escape(what)}</td>"
        + "".join(f"<td align='center'>{'✓' if may[role] else '—'}</td>" for role in permissions.ROLES)
        + "</tr>"
        for what, may in permissions.table())
    return (f"<table cellspacing='0' cellpadding='3'><tr><th align='left'>Who may</th>{heads}</tr>{rows}</table>"
            "<p>Everyone may look things up. A name that is not in the users list is read-only once the "
            "office has users.</p>")
