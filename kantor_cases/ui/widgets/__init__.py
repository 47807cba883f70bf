"""Pieces every feature uses: tables paged in SQL, date fields, forms, error messages, background tasks. Widgets know no feature."""
