"""Fixtures for nudges."""
