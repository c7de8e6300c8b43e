"""All models, importable from one place."""

from .applications import (
    APPROVED,
    DECLINED,
    OPEN,
    UNCONFIRMED,
    WITHDRAWN,
    Application,
    ApplicationGroup,
    RecruitmentStep,
    Reference,
    StepDone,
)
from .api import ApiRate, ApiToken
from .announce import Announcement, AnnouncementOptOut, EmailOpening, LeaderMessageOptOut
from .attendance import Attendance, AttendanceDay
from .audit import AuditLog, Throttle
from .away import AwayRange, VolunteerLimit
from .branding import Branding
from .calendar import CalendarFeed, EmailAttachment
from .completion import RotaCompletion
from .cover import CoverAsk, CoverRequest
from .docs import Document
from .mail import Email
from .notes import LeaderNote
from .org import Allergen, Frequency, InterestCategory, Organisation, PlaceOfWorship, seed_lists
from .people import Group, Membership, Profile, ProfileAllergen, ProfilePlace, User
from .privacy import Erasure, RetentionReminder
from .qualifications import (
    GRANTED,
    NOT_CLEARED,
    WAITING,
    Qualification,
    QualificationGrant,
    QualificationOverride,
    RecordCheck,
    RoleRequirement,
)
from .rota import (
    CANCELLED,
    NOT_REQUIRED,
    PENDING,
    REGISTERED,
    STATUS_LABELS,
    Opportunity,
    OpportunityInterest,
    Registration,
    RegistrationEvent,
    Role,
    ServiceRecord,
    Slot,
)
from .sso import SingleSignOn
from .unlock import OpportunityUnlock
from .waiting import StandInAsk, StandInRequest, WaitingListEntry, WaitingOffer

ALL = [
    Organisation,
    Allergen,
    PlaceOfWorship,
    Frequency,
    InterestCategory,
    User,
    Group,
    Membership,
    Profile,
    ProfileAllergen,
    ProfilePlace,
    Role,
    Opportunity,
    OpportunityInterest,
    Slot,
    Registration,
    RegistrationEvent,
    ServiceRecord,
    OpportunityUnlock,
    Email,
    Document,
    AuditLog,
    Throttle,
    RotaCompletion,
    LeaderNote,
    CoverRequest,
    CoverAsk,
    AttendanceDay,
    Attendance,
    EmailAttachment,
    CalendarFeed,
    Branding,
    Erasure,
    RetentionReminder,
    Announcement,
    AnnouncementOptOut,
    EmailOpening,
    LeaderMessageOptOut,
    Qualification,
    RoleRequirement,
    QualificationGrant,
    RecordCheck,
    QualificationOverride,
    Application,
    ApplicationGroup,
    RecruitmentStep,
    StepDone,
    Reference,
    ApiToken,
    ApiRate,
    SingleSignOn,
    AwayRange,
    VolunteerLimit,
    WaitingListEntry,
    WaitingOffer,
    StandInRequest,
    StandInAsk,
]

__all__ = [m.__name__ for m in ALL] + [
    "seed_lists",
    "UNCONFIRMED",
    "OPEN",
    "APPROVED",
    "DECLINED",
    "WITHDRAWN",
    "GRANTED",
    "NOT_CLEARED",
    "WAITING",
    "PENDING",
    "REGISTERED",
    "NOT_REQUIRED",
    "CANCELLED",
    "STATUS_LABELS",
]
