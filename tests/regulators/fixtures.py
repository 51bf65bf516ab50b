"""Fixtures for regulator guidance and revalidation."""
