"""Django's SQLite backend, with writers taking turns in the order the kernel wakes them
instead of SQLite's busy handler (see base.py)."""
