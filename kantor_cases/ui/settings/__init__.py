"""The Settings screen: firm details, users, backups and the firm's deadline-rule versions."""
