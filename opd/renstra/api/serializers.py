"""Serializers of the Renstra read: the plan, its programs with their yearly targets and
indicative budgets, and their activities with their yearly targets. Read only; decimals are
strings; field names are part of the API and stay stable."""

from __future__ import annotations

from rest_framework import serializers

from opd.models import (
    Renstra,
    RenstraActivity,
    RenstraActivityYear,
    RenstraProgram,
    RenstraProgramYear,
)


class RenstraActivityYearSerializer(serializers.ModelSerializer[RenstraActivityYear]):
    class Meta:
        model = RenstraActivityYear
        fields = ["year", "target"]
        read_only_fields = fields


class RenstraActivitySerializer(serializers.ModelSerializer[RenstraActivity]):
    """An activity (kegiatan) of a Renstra program, with its output target for each year."""

    years = RenstraActivityYearSerializer(many=True, read_only=True)

    class Meta:
        model = RenstraActivity
        fields = ["id", *RenstraActivity.EDITABLE_FIELDS, "version", "years"]
        read_only_fields = fields


class RenstraProgramYearSerializer(serializers.ModelSerializer[RenstraProgramYear]):
    class Meta:
        model = RenstraProgramYear
        fields = ["year", "target", "budget"]
        read_only_fields = fields


class RenstraProgramSerializer(serializers.ModelSerializer[RenstraProgram]):
    """A Renstra program: its outcome indicator, the RPJMD indicator it serves (id and code),
    its outcome target and indicative budget (Rp) for each year, and its activities."""

    indicator_code = serializers.CharField(
        source="indicator.code", read_only=True, allow_null=True, default=None
    )
    years = RenstraProgramYearSerializer(many=True, read_only=True)
    activities = RenstraActivitySerializer(many=True, read_only=True)

    class Meta:
        model = RenstraProgram
        fields = [
            "id",
            "code",
            "name",
            "outcome_indicator",
            "outcome_unit",
            "indicator",
            "indicator_code",
            "version",
            "years",
            "activities",
        ]
        read_only_fields = fields


class RenstraSerializer(serializers.ModelSerializer[Renstra]):
    """An OPD's strategic plan for the period of an RPJMD plan, with its programs."""

    opd_code = serializers.CharField(source="opd.code", read_only=True)
    first_year = serializers.IntegerField(source="plan.first_year", read_only=True)
    last_year = serializers.IntegerField(source="plan.last_year", read_only=True)
    programs = RenstraProgramSerializer(many=True, read_only=True)

    class Meta:
        model = Renstra
        fields = [
            "id",
            "opd",
            "opd_code",
            "plan",
            "first_year",
            "last_year",
            "status",
            "version",
            "submitted_at",
            "reviewed_at",
            "programs",
        ]
        read_only_fields = fields
