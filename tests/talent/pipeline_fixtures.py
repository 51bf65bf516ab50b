"""Fixtures for the talent-pipeline dashboard."""
