"""Pathway pages."""

urlpatterns: list = []
