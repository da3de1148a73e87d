"""Dashboards, the public transparency page and the exports (issue: dashboards)."""

app_name = "dashboards"

urlpatterns: list = []
