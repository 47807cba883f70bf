"""The Calendar screen: hearings, deadlines and follow-ups by month, and calendar export."""
