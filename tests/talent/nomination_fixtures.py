"""Fixtures for nominations."""
