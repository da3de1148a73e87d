"""Cross-row rules of the Renstra room, enforced by triggers (see magelang.db_rules); listed in
``opd.rules.RULES``.

A Renstra follows the RPJMD plan of its OPD's region; its lines' years lie in that plan's
period; a program's RPJMD indicator is one of that plan; a Renja's program or activity links only
to a line of the Renstra of its own OPD and plan. The rows these rules look up cannot move under
them: a Renstra keeps its OPD and plan, a line its Renstra, a year row its line.
"""

from magelang.db_rules import RowRule

RULES = [
    RowRule(
        name="renstra_plan_of_opd_region",
        table="opd_renstra",
        violation=(
            "NOT EXISTS (SELECT 1 FROM targets_plan p JOIN opd_opd o ON o.region_id = p.region_id"
            " WHERE p.id = NEW.plan_id AND o.id = NEW.opd_id)"
        ),
        message="a Renstra must follow the RPJMD plan of its OPD's region",
    ),
    RowRule(
        name="renstra_keeps_opd_and_plan",
        table="opd_renstra",
        violation="NEW.opd_id <> OLD.opd_id OR NEW.plan_id <> OLD.plan_id",
        message="a Renstra cannot move to another OPD or RPJMD plan",
        events=("UPDATE",),
    ),
    RowRule(
        name="renstra_program_indicator_in_plan",
        table="opd_renstraprogram",
        violation=(
            "NEW.indicator_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM opd_renstra r JOIN targets_indicator i ON i.plan_id = r.plan_id"
            " WHERE r.id = NEW.renstra_id AND i.id = NEW.indicator_id)"
        ),
        message="a Renstra program's indicator must be one of the Renstra's RPJMD plan",
    ),
    RowRule(
        name="renstra_program_stays_in_renstra",
        table="opd_renstraprogram",
        violation="NEW.renstra_id <> OLD.renstra_id",
        message="a Renstra program cannot move to another Renstra",
        events=("UPDATE",),
    ),
    RowRule(
        name="renstra_activity_stays_in_renstra",
        table="opd_renstraactivity",
        when="NEW.program_id <> OLD.program_id",
        violation=(
            "NOT EXISTS (SELECT 1 FROM opd_renstraprogram new_p"
            " JOIN opd_renstraprogram old_p ON old_p.renstra_id = new_p.renstra_id"
            " WHERE new_p.id = NEW.program_id AND old_p.id = OLD.program_id)"
        ),
        message="a Renstra activity may move only to another program of the same Renstra",
        events=("UPDATE",),
    ),
    RowRule(
        name="renstra_program_year_in_plan_period",
        table="opd_renstraprogramyear",
        violation=(
            "EXISTS (SELECT 1 FROM opd_renstraprogram rp"
            " JOIN opd_renstra r ON r.id = rp.renstra_id JOIN targets_plan p ON p.id = r.plan_id"
            " WHERE rp.id = NEW.program_id"
            " AND (NEW.year < p.first_year OR NEW.year > p.last_year))"
        ),
        message="a Renstra program's year must lie inside its RPJMD plan's period",
    ),
    RowRule(
        name="renstra_activity_year_in_plan_period",
        table="opd_renstraactivityyear",
        violation=(
            "EXISTS (SELECT 1 FROM opd_renstraactivity ra"
            " JOIN opd_renstraprogram rp ON rp.id = ra.program_id"
            " JOIN opd_renstra r ON r.id = rp.renstra_id JOIN targets_plan p ON p.id = r.plan_id"
            " WHERE ra.id = NEW.activity_id"
            " AND (NEW.year < p.first_year OR NEW.year > p.last_year))"
        ),
        message="a Renstra activity's year must lie inside its RPJMD plan's period",
    ),
    RowRule(
        name="renstra_program_year_stays_with_program",
        table="opd_renstraprogramyear",
        violation="NEW.program_id <> OLD.program_id",
        message="a Renstra program's year cannot move to another program",
        events=("UPDATE",),
    ),
    RowRule(
        name="renstra_activity_year_stays_with_activity",
        table="opd_renstraactivityyear",
        violation="NEW.activity_id <> OLD.activity_id",
        message="a Renstra activity's year cannot move to another activity",
        events=("UPDATE",),
    ),
    # The Renja's links: the line a Renja program or activity carries out is in the Renstra of
    # the same OPD and RPJMD plan.
    RowRule(
        name="program_renstra_line_of_own_opd_and_plan",
        table="opd_program",
        violation=(
            "NEW.renstra_program_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM opd_workplan w"
            " JOIN opd_renstra r ON r.opd_id = w.opd_id AND r.plan_id = w.plan_id"
            " JOIN opd_renstraprogram rp ON rp.renstra_id = r.id"
            " WHERE w.id = NEW.work_plan_id AND rp.id = NEW.renstra_program_id)"
        ),
        message="a program's Renstra line must be in the Renstra of its OPD and RPJMD plan",
    ),
    RowRule(
        name="activity_renstra_line_of_own_opd_and_plan",
        table="opd_activity",
        violation=(
            "NEW.renstra_activity_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM opd_program pr JOIN opd_workplan w ON w.id = pr.work_plan_id"
            " JOIN opd_renstra r ON r.opd_id = w.opd_id AND r.plan_id = w.plan_id"
            " JOIN opd_renstraprogram rp ON rp.renstra_id = r.id"
            " JOIN opd_renstraactivity ra ON ra.program_id = rp.id"
            " WHERE pr.id = NEW.program_id AND ra.id = NEW.renstra_activity_id)"
        ),
        message="an activity's Renstra line must be in the Renstra of its OPD and RPJMD plan",
    ),
    # Parents changed under the rules above.
    RowRule(
        name="plan_period_covers_renstra_years",
        table="targets_plan",
        when="NEW.first_year <> OLD.first_year OR NEW.last_year <> OLD.last_year",
        violation=(
            "EXISTS (SELECT 1 FROM opd_renstra r JOIN opd_renstraprogram rp ON rp.renstra_id = r.id"
            " JOIN opd_renstraprogramyear y ON y.program_id = rp.id WHERE r.plan_id = NEW.id"
            " AND (y.year < NEW.first_year OR y.year > NEW.last_year))"
            " OR EXISTS (SELECT 1 FROM opd_renstra r"
            " JOIN opd_renstraprogram rp ON rp.renstra_id = r.id"
            " JOIN opd_renstraactivity ra ON ra.program_id = rp.id"
            " JOIN opd_renstraactivityyear y ON y.activity_id = ra.id WHERE r.plan_id = NEW.id"
            " AND (y.year < NEW.first_year OR y.year > NEW.last_year))"
        ),
        message="the plan's period must still cover its Renstras' years",
        events=("UPDATE",),
    ),
    RowRule(
        name="plan_region_keeps_renstras",
        table="targets_plan",
        when="NEW.region_id <> OLD.region_id",
        violation="EXISTS (SELECT 1 FROM opd_renstra r WHERE r.plan_id = NEW.id)",
        message="a plan with Renstras cannot move to another region",
        events=("UPDATE",),
    ),
    RowRule(
        name="opd_region_keeps_renstras",
        table="opd_opd",
        when="NEW.region_id <> OLD.region_id",
        violation="EXISTS (SELECT 1 FROM opd_renstra r WHERE r.opd_id = NEW.id)",
        message="an OPD with a Renstra cannot move to another region",
        events=("UPDATE",),
    ),
    RowRule(
        name="indicator_plan_keeps_renstra_programs",
        table="targets_indicator",
        when="NEW.plan_id <> OLD.plan_id",
        violation="EXISTS (SELECT 1 FROM opd_renstraprogram rp WHERE rp.indicator_id = NEW.id)",
        message="an indicator a Renstra program serves cannot move to another plan",
        events=("UPDATE",),
    ),
    RowRule(
        name="work_plan_keeps_renstra_links",
        table="opd_workplan",
        when="NEW.opd_id <> OLD.opd_id OR NEW.plan_id <> OLD.plan_id",
        violation=(
            "EXISTS (SELECT 1 FROM opd_program pr WHERE pr.work_plan_id = NEW.id"
            " AND pr.renstra_program_id IS NOT NULL)"
            " OR EXISTS (SELECT 1 FROM opd_program pr JOIN opd_activity a ON a.program_id = pr.id"
            " WHERE pr.work_plan_id = NEW.id AND a.renstra_activity_id IS NOT NULL)"
        ),
        message="a work plan linked to Renstra lines cannot move to another OPD or RPJMD plan",
        events=("UPDATE",),
    ),
]
