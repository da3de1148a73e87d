"""The report pages of the aspirations (see urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
