"""Opportunity pages."""

urlpatterns: list = []
