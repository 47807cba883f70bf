"""The Reports screen: caseload, hearings, PD outcomes, deadlines kept, employment and intake."""
