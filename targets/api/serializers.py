"""Read-only serializers for the region and the plan's numbers. Decimals are strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from targets.models import Actual, Indicator, Kecamatan, Kelurahan, Population, Region, Target
from targets.trajectory import PointKind, target_path

PATH_PLACES = Decimal("0.0001")


class KelurahanSerializer(serializers.ModelSerializer[Kelurahan]):
    class Meta:
        model = Kelurahan
        fields = ["id", "code", "name"]


class KecamatanSerializer(serializers.ModelSerializer[Kecamatan]):
    kelurahan = KelurahanSerializer(source="kelurahan_set", many=True, read_only=True)

    class Meta:
        model = Kecamatan
        fields = ["id", "code", "name", "kelurahan"]


class RegionSerializer(serializers.ModelSerializer[Region]):
    kecamatan = KecamatanSerializer(source="kecamatan_set", many=True, read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "kind", "kecamatan"]


class TargetSerializer(serializers.ModelSerializer[Target]):
    class Meta:
        model = Target
        fields = ["year", "value", "source"]


class ActualSerializer(serializers.ModelSerializer[Actual]):
    class Meta:
        model = Actual
        fields = ["year", "value", "source", "kecamatan", "kelurahan"]


class PopulationSerializer(serializers.ModelSerializer[Population]):
    class Meta:
        model = Population
        fields = ["year", "value", "source"]


class PathPointSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    kind = serializers.ChoiceField(choices=[kind.value for kind in PointKind])


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    """An indicator with its stated targets, the yearly target path, actuals and population."""

    region = serializers.IntegerField(source="plan.region_id", read_only=True)
    targets = TargetSerializer(many=True, read_only=True)
    target_path = serializers.SerializerMethodField()
    actuals = ActualSerializer(many=True, read_only=True)
    population = PopulationSerializer(
        source="plan.region.population_figures", many=True, read_only=True
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "unit",
            "direction",
            "is_population_share",
            "plan",
            "region",
            "objective",
            "baseline_year",
            "baseline_value",
            "baseline_source",
            "targets",
            "target_path",
            "actuals",
            "population",
        ]

    @extend_schema_field(PathPointSerializer(many=True))
    def get_target_path(self, indicator: Indicator) -> list[dict[str, Any]]:
        path = target_path(
            baseline_year=indicator.baseline_year,
            baseline_value=indicator.baseline_value,
            targets={target.year: target.value for target in indicator.targets.all()},
        )
        return [
            {
                "year": point.year,
                "value": format(point.value.quantize(PATH_PLACES), "f"),
                "kind": point.kind.value,
            }
            for point in path
        ]
