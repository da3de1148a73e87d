"""Every model of the ``opd`` app, re-exported from its room so the app label and the
migrations stay put: ``from opd.models import WorkPlan`` works wherever a model is needed.

Each room defines its own models:

- ``opd.agencies.models``: the OPDs and their members;
- ``opd.workplans.models``: work plans, programs, activities, claimed contributions and
  realisations; ``opd.workplans.records``: deadlines, reminders, review comments, the audit trail;
- ``opd.engine.models``: the contribution engine's states, snapshots and rows;
- ``opd.aspirations.models``: community aspirations;
- ``opd.clients.models``: API clients;
- ``opd.beneficiaries.models``: activities' beneficiary lists, as keyed hashes;
- ``opd.nomenclature.models``: nomenclature versions, their codes and the crosswalk;
- ``opd.renstra.models``: the OPDs' strategic plans (Renstra), their lines and their trail.

Nothing in those modules imports this package back.
"""

from opd.agencies.models import (
    AreaStaff,
    BappedaRole,
    MembershipRole,
    Opd,
    OpdKind,
    OpdMembership,
)
from opd.aspirations.import_models import AspirationImport
from opd.aspirations.models import (
    Aspiration,
    AspirationCategory,
    AspirationEvent,
    AspirationForum,
    AspirationStatus,
    RejectionCode,
)
from opd.beneficiaries.models import Beneficiary, BeneficiaryList
from opd.clients.models import ApiClient, ApiScope
from opd.engine.models import (
    ContributionRow,
    ContributionSnapshot,
    ContributionState,
    SnapshotStatus,
)
from opd.nomenclature.models import (
    CodeKind,
    Crosswalk,
    NomenclatureCode,
    NomenclatureVersion,
)
from opd.renstra.models import (
    Renstra,
    RenstraActivity,
    RenstraActivityYear,
    RenstraAuditEntry,
    RenstraProgram,
    RenstraProgramYear,
    RenstraStatus,
)
from opd.workplans.models import (
    AchievedContribution,
    Activity,
    ActivityFundingSource,
    ContributionEvidence,
    ExpectedContribution,
    Program,
    Realisation,
    WorkPlan,
    WorkPlanStatus,
)
from opd.workplans.records import (
    AuditAction,
    AuditEntry,
    DeadlineReminder,
    ReviewComment,
    ReviewCommentKind,
    SubmissionDeadline,
)

__all__ = [
    "AchievedContribution",
    "Activity",
    "ActivityFundingSource",
    "ApiClient",
    "ApiScope",
    "AreaStaff",
    "Aspiration",
    "AspirationCategory",
    "AspirationEvent",
    "AspirationForum",
    "AspirationImport",
    "AspirationStatus",
    "AuditAction",
    "AuditEntry",
    "BappedaRole",
    "Beneficiary",
    "BeneficiaryList",
    "CodeKind",
    "ContributionEvidence",
    "ContributionRow",
    "ContributionSnapshot",
    "ContributionState",
    "Crosswalk",
    "DeadlineReminder",
    "ExpectedContribution",
    "MembershipRole",
    "NomenclatureCode",
    "NomenclatureVersion",
    "Opd",
    "OpdKind",
    "OpdMembership",
    "Program",
    "Realisation",
    "RejectionCode",
    "Renstra",
    "RenstraActivity",
    "RenstraActivityYear",
    "RenstraAuditEntry",
    "RenstraProgram",
    "RenstraProgramYear",
    "RenstraStatus",
    "ReviewComment",
    "ReviewCommentKind",
    "SnapshotStatus",
    "SubmissionDeadline",
    "WorkPlan",
    "WorkPlanStatus",
]
