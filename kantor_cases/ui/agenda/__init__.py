"""The Today screen: overdue items, today's hearings, deadlines and follow-ups."""
