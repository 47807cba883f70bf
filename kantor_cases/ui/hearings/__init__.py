"""The Hearings screen: the office-wide docket of upcoming hearings."""
