"""The Renstra's XLSX import: upload, the all-or-nothing preview and its confirmation."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
