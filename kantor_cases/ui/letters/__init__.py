"""The Letters screen, a record's Letters tab, the new-letter dialog, batches and the template editor."""
