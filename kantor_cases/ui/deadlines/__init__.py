"""The firm-wide Deadlines screen: every deadline due in the next 30, 60 or 90 days."""
