"""An activity's beneficiary list as the API shows it: counts only, never a person.

The upload is one field, ``file`` (XLSX or CSV, read in memory); a refused file answers the
rows refused with their reasons, which never repeat a NIK or a No. KK (``opd.beneficiaries.rows``).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from rest_framework import serializers

from opd.beneficiaries.models import BeneficiaryList
from opd.beneficiaries.rows import MAX_FILE_BYTES


class BeneficiaryListSerializer(serializers.ModelSerializer[BeneficiaryList]):
    """The list's counts: persons, families (distinct No. KK), persons per desil 1 to 10 in
    order, persons without a desil, and when it was imported."""

    desil_counts = serializers.ListField(
        child=serializers.IntegerField(min_value=0), min_length=10, max_length=10, read_only=True
    )
    persons_without_desil = serializers.IntegerField(read_only=True)

    class Meta:
        model = BeneficiaryList
        fields = [
            "activity",
            "persons",
            "families",
            "desil_counts",
            "persons_without_desil",
            "imported_at",
        ]
        read_only_fields = fields


class BeneficiaryUploadSerializer(serializers.Serializer[Any]):
    """The file of the list, in the layout of the template: NIK; No. KK; Kelurahan; Desil."""

    file = serializers.FileField(
        help_text="An XLSX or CSV file with the header row NIK; No. KK; Kelurahan; Desil, "
        "one person a row (at most 12 MB)."
    )

    def validate_file(self, upload: UploadedFile) -> UploadedFile:
        # A file over the upload handler's memory limit arrives empty with its real size.
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise serializers.ValidationError(
                _("The file is larger than %(size)s MB: split it into smaller files.")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class BadRowSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(read_only=True, help_text="The row's number in the sheet.")
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)


class BeneficiaryUploadErrorSerializer(serializers.Serializer[Any]):
    """A refused upload (400): either the rows refused (``code`` ``rows_refused``, every bad
    row with every reason) or a file that cannot be read (``file``, as any field error), or
    a body that is not multipart (``detail``). Nothing was stored."""

    # Not read-only: the schema would list read-only fields as always present.
    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    row_count = serializers.IntegerField(required=False, help_text="The data rows the file holds.")
    bad_rows = BadRowSerializer(many=True, required=False)
    file = serializers.ListField(child=serializers.CharField(), required=False)
