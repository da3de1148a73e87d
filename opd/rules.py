"""Cross-row rules of the opd app's rooms (work plans, aspirations, the engine's rows),
enforced by triggers (see magelang.db_rules)."""

from magelang.db_rules import RowRule
from opd.renstra.rules import RULES as RENSTRA_RULES

RULES = [
    RowRule(
        name="work_plan_year_in_plan_period",
        table="opd_workplan",
        violation=(
            "EXISTS (SELECT 1 FROM targets_plan p WHERE p.id = NEW.plan_id"
            " AND (NEW.year < p.first_year OR NEW.year > p.last_year))"
        ),
        message="a work plan's year must lie inside its RPJMD plan's period",
    ),
    RowRule(
        name="work_plan_plan_of_opd_region",
        table="opd_workplan",
        violation=(
            "NOT EXISTS (SELECT 1 FROM targets_plan p JOIN opd_opd o ON o.region_id = p.region_id"
            " WHERE p.id = NEW.plan_id AND o.id = NEW.opd_id)"
        ),
        message="a work plan must follow the RPJMD plan of its OPD's region",
    ),
    RowRule(
        name="plan_period_covers_work_plans",
        table="targets_plan",
        violation=(
            "EXISTS (SELECT 1 FROM opd_workplan w WHERE w.plan_id = NEW.id"
            " AND (w.year < NEW.first_year OR w.year > NEW.last_year))"
        ),
        message="the plan's period must still cover its work plans' years",
        events=("UPDATE",),
    ),
    RowRule(
        name="opd_region_keeps_work_plans",
        table="opd_opd",
        violation=(
            "EXISTS (SELECT 1 FROM opd_workplan w JOIN targets_plan p ON p.id = w.plan_id"
            " WHERE w.opd_id = NEW.id AND p.region_id <> NEW.region_id)"
        ),
        message="an OPD with work plans cannot move to another region",
        events=("UPDATE",),
    ),
    RowRule(
        name="activity_kelurahan_in_region",
        table="opd_activity",
        violation=(
            "NEW.kelurahan_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM opd_program pr JOIN opd_workplan w ON w.id = pr.work_plan_id"
            " JOIN opd_opd o ON o.id = w.opd_id"
            " JOIN targets_kecamatan k ON k.region_id = o.region_id"
            " JOIN targets_kelurahan l ON l.kecamatan_id = k.id"
            " WHERE pr.id = NEW.program_id AND l.id = NEW.kelurahan_id)"
        ),
        message="an activity's kelurahan must belong to its OPD's region",
    ),
    RowRule(
        name="expected_contribution_indicator_in_plan",
        table="opd_expectedcontribution",
        violation=(
            "NOT EXISTS (SELECT 1 FROM opd_activity a JOIN opd_program pr ON pr.id = a.program_id"
            " JOIN opd_workplan w ON w.id = pr.work_plan_id"
            " JOIN targets_indicator i ON i.plan_id = w.plan_id"
            " WHERE a.id = NEW.activity_id AND i.id = NEW.indicator_id)"
        ),
        message="a contribution must go to an indicator of the work plan's RPJMD plan",
    ),
    RowRule(
        name="achieved_contribution_indicator_in_plan",
        table="opd_achievedcontribution",
        violation=(
            "NOT EXISTS (SELECT 1 FROM opd_realisation r JOIN opd_activity a ON a.id = r.activity_id"
            " JOIN opd_program pr ON pr.id = a.program_id"
            " JOIN opd_workplan w ON w.id = pr.work_plan_id"
            " JOIN targets_indicator i ON i.plan_id = w.plan_id"
            " WHERE r.id = NEW.realisation_id AND i.id = NEW.indicator_id)"
        ),
        message="a contribution must go to an indicator of the work plan's RPJMD plan",
    ),
    # A parent row changed under its children: each rule below keeps one of the rules
    # above true when the row they look up (a plan, indicator, program...) is updated.
    RowRule(
        name="plan_region_keeps_work_plans",
        table="targets_plan",
        violation=(
            "EXISTS (SELECT 1 FROM opd_workplan w JOIN opd_opd o ON o.id = w.opd_id"
            " WHERE w.plan_id = NEW.id AND o.region_id <> NEW.region_id)"
        ),
        message="a plan with work plans cannot move to another region",
        events=("UPDATE",),
    ),
    RowRule(
        name="indicator_plan_keeps_contributions",
        table="targets_indicator",
        violation=(
            "EXISTS (SELECT 1 FROM opd_expectedcontribution c"
            " JOIN opd_activity a ON a.id = c.activity_id"
            " JOIN opd_program pr ON pr.id = a.program_id"
            " JOIN opd_workplan w ON w.id = pr.work_plan_id"
            " WHERE c.indicator_id = NEW.id AND w.plan_id <> NEW.plan_id)"
            " OR EXISTS (SELECT 1 FROM opd_achievedcontribution c"
            " JOIN opd_realisation r ON r.id = c.realisation_id"
            " JOIN opd_activity a ON a.id = r.activity_id"
            " JOIN opd_program pr ON pr.id = a.program_id"
            " JOIN opd_workplan w ON w.id = pr.work_plan_id"
            " WHERE c.indicator_id = NEW.id AND w.plan_id <> NEW.plan_id)"
        ),
        message="an indicator must stay in the RPJMD plan of the work plans contributing to it",
        events=("UPDATE",),
    ),
    RowRule(
        name="activity_stays_in_work_plan",
        table="opd_activity",
        violation=(
            "NEW.program_id <> OLD.program_id AND NOT EXISTS ("
            " SELECT 1 FROM opd_program new_pr"
            " JOIN opd_program old_pr ON old_pr.work_plan_id = new_pr.work_plan_id"
            " WHERE new_pr.id = NEW.program_id AND old_pr.id = OLD.program_id)"
        ),
        message="an activity may move only to another program of the same work plan",
        events=("UPDATE",),
    ),
    RowRule(
        name="program_stays_in_work_plan",
        table="opd_program",
        violation="NEW.work_plan_id <> OLD.work_plan_id",
        message="a program cannot move to another work plan",
        events=("UPDATE",),
    ),
    RowRule(
        name="realisation_stays_with_activity",
        table="opd_realisation",
        violation="NEW.activity_id <> OLD.activity_id",
        message="a realisation cannot move to another activity",
        events=("UPDATE",),
    ),
    RowRule(
        name="work_plan_plan_keeps_contributions",
        table="opd_workplan",
        violation=(
            "NEW.plan_id <> OLD.plan_id AND ("
            " EXISTS (SELECT 1 FROM opd_program pr JOIN opd_activity a ON a.program_id = pr.id"
            " JOIN opd_expectedcontribution c ON c.activity_id = a.id"
            " WHERE pr.work_plan_id = NEW.id)"
            " OR EXISTS (SELECT 1 FROM opd_program pr JOIN opd_activity a ON a.program_id = pr.id"
            " JOIN opd_realisation r ON r.activity_id = a.id"
            " JOIN opd_achievedcontribution c ON c.realisation_id = r.id"
            " WHERE pr.work_plan_id = NEW.id))"
        ),
        message="a work plan whose activities have contributions cannot move to another RPJMD plan",
        events=("UPDATE",),
    ),
]

RULES += [
    RowRule(
        name="aspiration_places_in_region",
        table="opd_aspiration",
        violation=(
            "(NEW.kelurahan_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM targets_kelurahan l JOIN targets_kecamatan k ON k.id = l.kecamatan_id"
            " WHERE l.id = NEW.kelurahan_id AND k.region_id = NEW.region_id))"
            " OR (NEW.activity_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM opd_activity a JOIN opd_program pr ON pr.id = a.program_id"
            " JOIN opd_workplan w ON w.id = pr.work_plan_id JOIN opd_opd o ON o.id = w.opd_id"
            " WHERE a.id = NEW.activity_id AND o.region_id = NEW.region_id))"
        ),
        message="an aspiration's kelurahan and activity must belong to its region",
    ),
    # Named to sort after the rule above: PostgreSQL fires a table's triggers by name, so a
    # place outside the region is reported as that first.
    RowRule(
        name="aspiration_taken_up_by_recommended_opd",
        table="opd_aspiration",
        violation=(
            "(NEW.recommended_opd_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM opd_opd o WHERE o.id = NEW.recommended_opd_id"
            " AND o.region_id = NEW.region_id))"
            " OR (NEW.activity_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM opd_activity a JOIN opd_program pr ON pr.id = a.program_id"
            " JOIN opd_workplan w ON w.id = pr.work_plan_id"
            " WHERE a.id = NEW.activity_id AND w.opd_id = NEW.recommended_opd_id"
            " AND w.year = NEW.year))"
        ),
        message=(
            "an aspiration's activity must be in the work plan of its recommended OPD for the"
            " aspiration's year, and that OPD in the aspiration's region"
        ),
    ),
    RowRule(
        name="contribution_row_opd_in_region",
        table="opd_contributionrow",
        violation=(
            "NOT EXISTS (SELECT 1 FROM opd_contributionsnapshot s"
            " JOIN targets_indicator i ON i.id = s.indicator_id"
            " JOIN targets_plan p ON p.id = i.plan_id JOIN opd_opd o ON o.region_id = p.region_id"
            " WHERE s.id = NEW.snapshot_id AND o.id = NEW.opd_id)"
        ),
        message="a contribution row's OPD must belong to the region of the snapshot's indicator",
    ),
]

RULES += [
    RowRule(
        name="review_comment_activity_in_plan",
        table="opd_reviewcomment",
        violation=(
            "NEW.activity_id IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM opd_activity a JOIN opd_program pr ON pr.id = a.program_id"
            " WHERE a.id = NEW.activity_id AND pr.work_plan_id = NEW.work_plan_id)"
        ),
        message="a review comment on an activity must belong to the activity's work plan",
    ),
    RowRule(
        name="deadline_reminder_opd_in_region",
        table="opd_deadlinereminder",
        violation=(
            "NOT EXISTS (SELECT 1 FROM opd_submissiondeadline d"
            " JOIN opd_opd o ON o.region_id = d.region_id"
            " WHERE d.id = NEW.deadline_id AND o.id = NEW.opd_id)"
        ),
        message="a deadline reminder must go to an OPD of the deadline's region",
    ),
    # The parents the reminder rule looks up: an activity cannot leave its work plan
    # (activity_stays_in_work_plan, program_stays_in_work_plan), but an OPD or a
    # deadline could otherwise move to another region under its reminders.
    RowRule(
        name="opd_region_keeps_reminders",
        table="opd_opd",
        violation=(
            "EXISTS (SELECT 1 FROM opd_deadlinereminder r"
            " JOIN opd_submissiondeadline d ON d.id = r.deadline_id"
            " WHERE r.opd_id = NEW.id AND d.region_id <> NEW.region_id)"
        ),
        message="an OPD that was sent deadline reminders cannot move to another region",
        events=("UPDATE",),
    ),
    RowRule(
        name="deadline_region_keeps_reminders",
        table="opd_submissiondeadline",
        violation=(
            "EXISTS (SELECT 1 FROM opd_deadlinereminder r JOIN opd_opd o ON o.id = r.opd_id"
            " WHERE r.deadline_id = NEW.id AND o.region_id <> NEW.region_id)"
        ),
        message="a deadline with reminders sent cannot move to another region",
        events=("UPDATE",),
    ),
]

# An aspiration's history is written once: an event may only lose its actor (the user deleted).
RULES += [
    RowRule(
        name="aspiration_event_unchanged",
        table="opd_aspirationevent",
        violation=(
            "NEW.aspiration_id <> OLD.aspiration_id OR NEW.kind <> OLD.kind"
            " OR NEW.from_status <> OLD.from_status OR NEW.to_status <> OLD.to_status"
            " OR NEW.year <> OLD.year OR NEW.rejection_code <> OLD.rejection_code"
            " OR NEW.note <> OLD.note OR NEW.at <> OLD.at OR NEW.actor_name <> OLD.actor_name"
            " OR NEW.changes <> OLD.changes"
            " OR (NEW.actor_id IS NOT NULL AND (OLD.actor_id IS NULL"
            " OR NEW.actor_id <> OLD.actor_id))"
        ),
        message="an aspiration's history cannot be changed",
        events=("UPDATE",),
    ),
    # The plan an accepted aspiration went into keeps its OPD and year.
    RowRule(
        name="work_plan_keeps_its_aspirations_place",
        table="opd_workplan",
        violation=(
            "(NEW.opd_id <> OLD.opd_id OR NEW.year <> OLD.year) AND EXISTS ("
            " SELECT 1 FROM opd_aspiration asp JOIN opd_activity a ON a.id = asp.activity_id"
            " JOIN opd_program pr ON pr.id = a.program_id WHERE pr.work_plan_id = NEW.id)"
        ),
        message=(
            "a work plan whose activities took up aspirations cannot move to another OPD or year"
        ),
        events=("UPDATE",),
    ),
]

# A beneficiary lives in the region of the OPD whose list names them (design section 7): the
# import checks the kelurahan against that region, the database keeps it so. The activity cannot
# leave its work plan (above); the list cannot leave its activity, nor the plan its OPD's region.
# The list's activity is read first, as a value (the innermost subquery), so every table after it
# is read by its primary key: written as one join, PL/pgSQL's generic plan (the trigger runs it
# once per inserted person) merge-joined the few lists with every activity in id order, and a
# 50,000-person import over 18,000 activities ran for minutes (benchmarks/beneficiary_import.py;
# tests/beneficiaries/test_rule_plans.py keeps the plan to key lookups).
RULES += [
    RowRule(
        name="beneficiary_kelurahan_in_region",
        table="opd_beneficiary",
        violation=(
            "NOT EXISTS (SELECT 1 FROM targets_kelurahan l"
            " JOIN targets_kecamatan k ON k.id = l.kecamatan_id"
            " WHERE l.id = NEW.kelurahan_id AND k.region_id = ("
            " SELECT o.region_id FROM opd_activity a"
            " JOIN opd_program pr ON pr.id = a.program_id"
            " JOIN opd_workplan w ON w.id = pr.work_plan_id JOIN opd_opd o ON o.id = w.opd_id"
            " WHERE a.id = (SELECT b.activity_id FROM opd_beneficiarylist b"
            " WHERE b.id = NEW.beneficiary_list_id)))"
        ),
        message="a beneficiary's kelurahan must belong to the region of the list's OPD",
    ),
    RowRule(
        name="beneficiary_list_stays_with_activity",
        table="opd_beneficiarylist",
        violation="NEW.activity_id <> OLD.activity_id",
        message="a beneficiary list cannot move to another activity",
        events=("UPDATE",),
    ),
    RowRule(
        name="work_plan_region_keeps_beneficiaries",
        table="opd_workplan",
        when="NEW.opd_id <> OLD.opd_id",  # not planned at all for any other update
        violation=(
            "EXISTS ("
            " SELECT 1 FROM opd_opd new_o JOIN opd_opd old_o ON old_o.region_id <> new_o.region_id"
            " WHERE new_o.id = NEW.opd_id AND old_o.id = OLD.opd_id) AND EXISTS ("
            " SELECT 1 FROM opd_program pr JOIN opd_activity a ON a.program_id = pr.id"
            " JOIN opd_beneficiarylist b ON b.activity_id = a.id WHERE pr.work_plan_id = NEW.id)"
        ),
        message="a work plan whose activities have beneficiary lists cannot move to another region",
        events=("UPDATE",),
    ),
]

# The Renstra room's rules (opd/renstra/rules.py), installed with the app's.
RULES += RENSTRA_RULES
