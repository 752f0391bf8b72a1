"""The ontology terms (``akg:`` local names) that the code may emit.

The rdf stage refuses a statement whose class or predicate is not listed here, and a test
checks that every name listed is declared in ontology/alliance.ttl: together they keep the
code and the ontology from drifting apart.
"""

from __future__ import annotations

CLASSES = frozenset(
    {
        # actors
        "Actor",
        "Person",
        "State",
        "Organization",
        "GovernmentBody",
        "MilitaryForce",
        "InternationalOrganization",
        "Mechanism",
        "ConsultativeBody",
        "CoordinationBody",
        "Alliance",
        "Post",
        "Participation",
        "Role",
        "PostHolding",
        "Title",
        "Purpose",
        # agreements
        "Agreement",
        "Treaty",
        "Guidelines",
        "JointStatement",
        "Plan",
        "Legislation",
        "PolicyPaper",
        "TreatyArticle",
        # concepts
        "Domain",
        "Issue",
        "Operation",
        "CooperationArea",
        "Situation",
        "ResponsibilityType",
        # n-ary relations
        "Responsibility",
        "CooperationProvision",
        "Affirmation",
        "Place",
        # events
        "Event",
        "Meeting",
        "SummitMeeting",
        "MinisterialMeeting",
        "DefenseMinisterialMeeting",
        "ForeignMinisterialMeeting",
        "TwoPlusTwoMeeting",
        "Talks",
        "TelephoneTalk",
        "VideoConference",
        "WorkingLevelMeeting",
        "Visit",
        "Signing",
        "EntryIntoForce",
        "Approval",
        "Establishment",
        "Revision",
        "Formulation",
        "Announcement",
        "Exercise",
        "MissileLaunch",
        "NuclearTest",
        "Disaster",
        # provenance
        "Document",
        "Sentence",
        "Assertion",
        "ExtractionRule",
        "Build",
        "Lexicon",
    }
)

OBJECT_PROPERTIES = frozenset(
    {
        "participant",
        "hasSide",
        "hasParticipation",
        "agent",
        "post",
        "side",
        "titleUsed",
        "location",
        "topic",
        "meetingOf",
        "concerns",
        "replaces",
        "revises",
        "basedOn",
        "approvedBy",
        "recommendedBy",
        "party",
        "signedBy",
        "establishedBy",
        "seat",
        "legalBasis",
        "memberPost",
        "parentBody",
        "ofState",
        "articleOf",
        "appliesTo",
        "mayApplyTo",
        "primaryResponsibilityFor",
        "supportsAndSupplements",
        "responsibleActor",
        "operation",
        "responsibilityType",
        "underAgreement",
        "situation",
        "provides",
        "area",
        "affirmedAt",
        "affirmedBy",
        "utilizedFor",
        "develops",
        "issued",
        "purpose",
        "evidence",
        "rule",
    }
)

DATATYPE_PROPERTIES = frozenset(
    {
        "date",
        "signedOn",
        "enteredIntoForceOn",
        "approvedOn",
        "formulatedOn",
        "establishedOn",
        "revisedOn",
        "acting",
        "articleNumber",
        "statementText",
        "sha256",
        "section",
    }
)

PROPERTIES = OBJECT_PROPERTIES | DATATYPE_PROPERTIES
TERMS = CLASSES | PROPERTIES
