"""Cross-row rules of the plan's numbers, enforced by triggers (see magelang.db_rules)."""

from magelang.db_rules import RowRule

_PLAN_OF_INDICATOR = (
    "SELECT 1 FROM targets_indicator i JOIN targets_plan p ON p.id = i.plan_id "
    "WHERE i.id = NEW.indicator_id"
)
_PERCENT_INDICATOR = (
    "SELECT 1 FROM targets_indicator i WHERE i.id = NEW.indicator_id AND i.unit = '%'"
)
# An actual's kecamatan ``k``: its own, or its kelurahan's (it has at most one of the two).
_PLACE_OF_ACTUAL = (
    "SELECT 1 FROM targets_actual a"
    " LEFT JOIN targets_kelurahan l ON l.id = a.kelurahan_id"
    " JOIN targets_kecamatan k ON k.id = COALESCE(a.kecamatan_id, l.kecamatan_id)"
)

RULES = [
    RowRule(
        name="region_parent_kind",
        table="targets_region",
        violation=(
            # The tree is country > province > kota/kabupaten, so it has no cycle and at
            # most three levels.
            "NEW.parent_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM targets_region p WHERE p.id = NEW.parent_id AND ("
            "(NEW.kind IN ('kota', 'kabupaten') AND p.kind = 'provinsi')"
            " OR (NEW.kind = 'provinsi' AND p.kind = 'negara')))"
        ),
        message="a kota or kabupaten sits under a province, a province under the country",
        when="NEW.parent_id IS NOT NULL",
    ),
    RowRule(
        name="region_kind_keeps_children",
        table="targets_region",
        violation=(
            "NEW.kind <> OLD.kind AND EXISTS (SELECT 1 FROM targets_region c"
            " WHERE c.parent_id = NEW.id)"
        ),
        message="a region with regions under it keeps its kind",
        events=("UPDATE",),
    ),
    RowRule(
        name="target_year_in_plan_period",
        table="targets_target",
        violation=f"EXISTS ({_PLAN_OF_INDICATOR} AND (NEW.year < p.first_year OR NEW.year > p.last_year))",
        message="a target's year must lie inside its plan's period",
    ),
    RowRule(
        name="target_percentage_0_100",
        table="targets_target",
        violation=f"EXISTS ({_PERCENT_INDICATOR} AND (NEW.value < 0 OR NEW.value > 100))",
        message="a percentage target must lie within 0 and 100",
    ),
    RowRule(
        name="actual_year_in_plan_period",
        table="targets_actual",
        violation=f"EXISTS ({_PLAN_OF_INDICATOR} AND (NEW.year < p.first_year OR NEW.year > p.last_year))",
        message="an actual's year must lie inside its plan's period",
    ),
    RowRule(
        name="actual_percentage_0_100",
        table="targets_actual",
        violation=f"EXISTS ({_PERCENT_INDICATOR} AND (NEW.value < 0 OR NEW.value > 100))",
        message="a percentage actual must lie within 0 and 100",
    ),
    RowRule(
        name="actual_place_in_region",
        table="targets_actual",
        violation=(
            "(NEW.kecamatan_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM targets_indicator i JOIN targets_plan p ON p.id = i.plan_id"
            " JOIN targets_kecamatan k ON k.region_id = p.region_id"
            " WHERE i.id = NEW.indicator_id AND k.id = NEW.kecamatan_id))"
            " OR (NEW.kelurahan_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM targets_indicator i JOIN targets_plan p ON p.id = i.plan_id"
            " JOIN targets_kecamatan k ON k.region_id = p.region_id"
            " JOIN targets_kelurahan l ON l.kecamatan_id = k.id"
            " WHERE i.id = NEW.indicator_id AND l.id = NEW.kelurahan_id))"
        ),
        message="an actual's kecamatan or kelurahan must belong to its plan's region",
    ),
    RowRule(
        name="indicator_baseline_before_plan",
        table="targets_indicator",
        violation=(
            "EXISTS (SELECT 1 FROM targets_plan p WHERE p.id = NEW.plan_id"
            " AND (NEW.baseline_year > p.first_year OR NEW.baseline_year < p.first_year - 5))"
        ),
        message="the baseline year must be the plan's first year or up to five years before it",
    ),
    RowRule(
        name="indicator_objective_in_plan",
        table="targets_indicator",
        violation=(
            "NEW.objective_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM targets_objective o JOIN targets_goal g ON g.id = o.goal_id"
            " JOIN targets_mission m ON m.id = g.mission_id"
            " WHERE o.id = NEW.objective_id AND m.plan_id = NEW.plan_id)"
        ),
        message="an indicator's objective must belong to the same plan",
    ),
    RowRule(
        name="indicator_values_fit",
        table="targets_indicator",
        violation=(
            "EXISTS (SELECT 1 FROM targets_target t JOIN targets_plan p ON p.id = NEW.plan_id"
            " WHERE t.indicator_id = NEW.id AND (t.year < p.first_year OR t.year > p.last_year"
            " OR (NEW.unit = '%' AND (t.value < 0 OR t.value > 100))))"
            " OR EXISTS (SELECT 1 FROM targets_actual a JOIN targets_plan p ON p.id = NEW.plan_id"
            " WHERE a.indicator_id = NEW.id AND (a.year < p.first_year OR a.year > p.last_year"
            " OR (NEW.unit = '%' AND (a.value < 0 OR a.value > 100))))"
        ),
        message="the indicator's targets and actuals must still fit its plan and unit",
        events=("UPDATE",),
    ),
    RowRule(
        name="plan_period_covers_figures",
        table="targets_plan",
        violation=(
            "EXISTS (SELECT 1 FROM targets_indicator i JOIN targets_target t ON t.indicator_id = i.id"
            " WHERE i.plan_id = NEW.id AND (t.year < NEW.first_year OR t.year > NEW.last_year))"
            " OR EXISTS (SELECT 1 FROM targets_indicator i JOIN targets_actual a ON a.indicator_id = i.id"
            " WHERE i.plan_id = NEW.id AND (a.year < NEW.first_year OR a.year > NEW.last_year))"
            " OR EXISTS (SELECT 1 FROM targets_indicator i WHERE i.plan_id = NEW.id"
            " AND (i.baseline_year > NEW.first_year OR i.baseline_year < NEW.first_year - 5))"
        ),
        message="the plan's period must still cover its indicators' baselines, targets and actuals",
        events=("UPDATE",),
    ),
    # A parent row changed under its children: each rule below keeps one of the rules
    # above true when the row they look up (a plan, kecamatan, objective...) is updated.
    RowRule(
        name="plan_region_keeps_actual_places",
        table="targets_plan",
        violation=(
            f"EXISTS ({_PLACE_OF_ACTUAL} JOIN targets_indicator i ON i.id = a.indicator_id"
            " WHERE i.plan_id = NEW.id AND k.region_id <> NEW.region_id)"
        ),
        message="a plan with actuals for kecamatan or kelurahan must stay in their region",
        events=("UPDATE",),
    ),
    RowRule(
        name="indicator_plan_keeps_actual_places",
        table="targets_indicator",
        violation=(
            f"EXISTS ({_PLACE_OF_ACTUAL} JOIN targets_plan p ON p.id = NEW.plan_id"
            " WHERE a.indicator_id = NEW.id AND k.region_id <> p.region_id)"
        ),
        message="an indicator with actuals for kecamatan or kelurahan must stay in a plan of their region",
        events=("UPDATE",),
    ),
    RowRule(
        name="kecamatan_region_keeps_kelurahan_and_actuals",
        table="targets_kecamatan",
        violation=(
            "NEW.region_id <> OLD.region_id AND ("
            " EXISTS (SELECT 1 FROM targets_kelurahan l WHERE l.kecamatan_id = NEW.id)"
            " OR EXISTS (SELECT 1 FROM targets_actual a WHERE a.kecamatan_id = NEW.id))"
        ),
        message="a kecamatan with kelurahan or actuals cannot move to another region",
        events=("UPDATE",),
    ),
    RowRule(
        name="kelurahan_stays_in_region",
        table="targets_kelurahan",
        violation=(
            "NEW.kecamatan_id <> OLD.kecamatan_id AND NOT EXISTS ("
            " SELECT 1 FROM targets_kecamatan new_k"
            " JOIN targets_kecamatan old_k ON old_k.region_id = new_k.region_id"
            " WHERE new_k.id = NEW.kecamatan_id AND old_k.id = OLD.kecamatan_id)"
        ),
        message="a kelurahan may move only to a kecamatan of the same region",
        events=("UPDATE",),
    ),
    RowRule(
        name="mission_plan_keeps_indicators",
        table="targets_mission",
        violation=(
            "EXISTS (SELECT 1 FROM targets_goal g JOIN targets_objective o ON o.goal_id = g.id"
            " JOIN targets_indicator i ON i.objective_id = o.id"
            " WHERE g.mission_id = NEW.id AND i.plan_id <> NEW.plan_id)"
        ),
        message="a mission cannot move to another plan while indicators measure its objectives",
        events=("UPDATE",),
    ),
    RowRule(
        name="goal_plan_keeps_indicators",
        table="targets_goal",
        violation=(
            "EXISTS (SELECT 1 FROM targets_objective o"
            " JOIN targets_indicator i ON i.objective_id = o.id"
            " JOIN targets_mission m ON m.id = NEW.mission_id"
            " WHERE o.goal_id = NEW.id AND i.plan_id <> m.plan_id)"
        ),
        message="a goal cannot move to another plan while indicators measure its objectives",
        events=("UPDATE",),
    ),
    RowRule(
        name="objective_plan_keeps_indicators",
        table="targets_objective",
        violation=(
            "EXISTS (SELECT 1 FROM targets_indicator i"
            " JOIN targets_goal g ON g.id = NEW.goal_id"
            " JOIN targets_mission m ON m.id = g.mission_id"
            " WHERE i.objective_id = NEW.id AND i.plan_id <> m.plan_id)"
        ),
        message="an objective cannot move to another plan while indicators measure it",
        events=("UPDATE",),
    ),
]
