"""The Follow-ups screen: staff tasks by due date."""
