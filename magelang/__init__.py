"""The Magelang planning portal's Django project."""

from magelang.celery import app as celery_app

__all__ = ("celery_app",)
