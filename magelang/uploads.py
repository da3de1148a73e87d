"""The one upload handler (``FILE_UPLOAD_HANDLERS``): every uploaded file stays in memory.

Django's default handlers write a file larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) to
a temporary file on disk. A beneficiary list holds NIKs, which must never reach the disk, and
Django parses the body with the handlers of the settings whoever reads it first (the CSRF check
reads ``request.POST`` before any view could swap them), so the rule is set for every upload.

A file up to ``FILE_UPLOAD_MAX_MEMORY_SIZE`` arrives as an ``InMemoryUploadedFile``. A larger
one arrives empty, with its real size in ``size``: its bytes are counted and dropped, so a view
that checks ``upload.size`` against its own limit refuses it with its own message, and one that
reads it finds an empty file. Nothing is kept beyond the limit, so a huge body costs no memory.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep each file in memory up to ``FILE_UPLOAD_MAX_MEMORY_SIZE``; beyond it, count only."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = BytesIO()
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.too_large:
            return None
        if start + len(raw_data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
            self.too_large = True
            self.file = BytesIO()  # what was kept goes: the file arrives empty
            return None
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
