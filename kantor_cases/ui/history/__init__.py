"""The History of a client or a matter (a tab of their windows) and the office-wide Audit screen."""
