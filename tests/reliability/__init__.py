"""Reliability harnesses run as real processes: crashes on a SQLite file, several instances on
one PostgreSQL database. Run as modules from the project root (`python -m tests.reliability.crash`)."""
