"""The one upload handler (``FILE_UPLOAD_HANDLERS``): every uploaded file stays in memory.

Django's default handlers write a file larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) to
a temporary file on disk. A beneficiary list holds NIKs, which must never reach the disk, and
Django parses the body with the handlers of the settings whoever reads it first (the CSRF check
reads ``request.POST`` before any view could swap them), so the rule is set for every upload.

Memory is bounded per request, not per file (Django makes one handler per request, and a
request may carry up to ``DATA_UPLOAD_MAX_NUMBER_FILES`` files):

- a multipart body whose ``Content-Length`` is over ``UPLOAD_MAX_REQUEST_SIZE`` is refused
  before a byte of it is read, with ``RequestDataTooBig`` (Django's 400, JSON under ``/api/``);
- the files of one request together keep at most ``FILE_UPLOAD_MAX_MEMORY_SIZE`` bytes. A file
  that fits in what is left arrives as an ``InMemoryUploadedFile``; one that does not arrives
  empty, with its real size in ``size``: its bytes are counted and dropped, so a view that
  checks ``upload.size`` against its own limit refuses it with its own message, and one that
  reads it finds an empty file. A single file over the limit is the simplest case of this.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep a request's files in memory, ``FILE_UPLOAD_MAX_MEMORY_SIZE`` bytes in all; beyond
    it, count only. ``kept`` is the number of bytes held for the request so far."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.kept = 0
        self.file = BytesIO()
        self.too_large = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        """Refuse, unread, a body declared larger than ``UPLOAD_MAX_REQUEST_SIZE``.

        The WSGI server hands Django at most ``Content-Length`` bytes (none without it), so
        the declared length bounds what could be read.
        """
        if content_length > settings.UPLOAD_MAX_REQUEST_SIZE:
            raise RequestDataTooBig("Multipart body exceeded settings.UPLOAD_MAX_REQUEST_SIZE.")
        self.kept = 0
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = BytesIO()
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.too_large:
            return None
        if self.kept + len(raw_data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
            self.too_large = True
            self.kept -= start  # what this file kept goes: it arrives empty
            self.file = BytesIO()
            return None
        self.file.write(raw_data)
        self.kept += len(raw_data)
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
