"""Read-only serializers for the region and the plan's numbers. Decimals are strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from targets.achievement import NoRate, year_achievement
from targets.models import Actual, Indicator, Kecamatan, Kelurahan, Population, Region, Target
from targets.trajectory import PointKind, target_path

PATH_PLACES = Decimal("0.0001")
RATE_PLACES = Decimal("0.01")


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
    actual = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        allow_null=True,
        help_text="The year's recorded city-wide actual (null when none is recorded).",
    )
    achievement_rate = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        allow_null=True,
        help_text=(
            "Achievement rate (tingkat capaian) in percent, the share of the gap between the "
            "baseline and this year's target that the actual closed: "
            "(baseline − actual) ÷ (baseline − target) × 100 for a `down` indicator, "
            "(actual − baseline) ÷ (target − baseline) × 100 for `up`. Rounded half up to two "
            "decimals. Not capped: above 100 when the actual went beyond the target, negative "
            "when it moved away from it. Null, with the reason in "
            "`achievement_rate_missing`, when there is no rate."
        ),
    )
    achievement_rate_missing = serializers.ChoiceField(
        choices=[reason.value for reason in NoRate],
        allow_null=True,
        help_text=(
            "Why `achievement_rate` is null (null when it is not): `baseline_year` (the gap is "
            "measured from this year), `no_target`, `no_change` (the target equals the baseline: "
            "it asks for no change) or `no_actual` (no actual recorded for the year)."
        ),
    )


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
        """Each year of the path with its target, the city-wide actual and the achievement rate
        (read from the prefetched targets and actuals: no query)."""
        path = target_path(
            baseline_year=indicator.baseline_year,
            baseline_value=indicator.baseline_value,
            targets={target.year: target.value for target in indicator.targets.all()},
        )
        actuals = {
            actual.year: actual.value
            for actual in indicator.actuals.all()
            if actual.kecamatan_id is None and actual.kelurahan_id is None
        }
        points = []
        for point in path:
            actual = actuals.get(point.year)
            achievement = year_achievement(
                year=point.year, baseline=indicator.baseline_value, point=point, actual=actual
            )
            points.append(
                {
                    "year": point.year,
                    "value": _places(point.value, PATH_PLACES),
                    "kind": point.kind.value,
                    "actual": _places(actual, PATH_PLACES),
                    "achievement_rate": _places(achievement.shown, RATE_PLACES),
                    "achievement_rate_missing": achievement.missing and achievement.missing.value,
                }
            )
        return points


def _places(value: Decimal | None, places: Decimal) -> str | None:
    return None if value is None else format(value.quantize(places), "f")
