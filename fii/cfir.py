# ruff: noqa: E501  (the framework's descriptions are kept verbatim, one string each)
"""The Consolidated Framework for Implementation Research (CFIR, 2009): five domains and their constructs.

Names and short descriptions are the framework's own, as listed in figure 10 of the handreiking
(source: cfirguide.org; Damschroder et al., 2009, Implementation Science 4:50). They stay in English on
purpose: they are the framework's terms, not the product's. Nothing here is invented or translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SOURCE_URL = "https://cfirguide.org/"
CITATION = (
    "Damschroder, L.J., Aron, D.C., Keith, R.E., Kirsh, S.R., Alexander, J.A. & Lowery, J.C. (2009). "
    "Fostering implementation of health services research findings into practice: a consolidated framework "
    "for advancing implementation science. Implementation Science, 4, 50."
)


@dataclass(frozen=True)
class Construct:
    code: str  # "III.D.2": domain, construct letter, sub-construct number
    name: str
    description: str

    @property
    def domain(self) -> str:
        return self.code.split(".")[0]

    @property
    def is_sub(self) -> bool:
        return self.code.count(".") == 2

    @property
    def label(self) -> str:
        """The construct's letter or number within its domain, as figure 10 shows it (``D``, ``D1``)."""
        return "".join(self.code.split(".")[1:])


@dataclass(frozen=True)
class Domain:
    code: str  # Roman numeral
    name: str
    explanation: str  # the product's own Dutch explanation label, not a construct name
    constructs: tuple[Construct, ...]


def _c(code, name, description):
    return Construct(code, name, description)


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "I",
        "Intervention characteristics",
        _("the intervention itself"),
        (
            _c(
                "I.A",
                "Intervention Source",
                "Perception of key stakeholders about whether the intervention is externally or internally developed.",
            ),
            _c(
                "I.B",
                "Evidence Strength & Quality",
                "Stakeholders' perceptions of the quality and validity of evidence supporting the belief that the intervention will have desired outcomes.",
            ),
            _c(
                "I.C",
                "Relative Advantage",
                "Stakeholders' perception of the advantage of implementing the intervention versus an alternative solution.",
            ),
            _c(
                "I.D",
                "Adaptability",
                "The degree to which an intervention can be adapted, tailored, refined, or reinvented to meet local needs.",
            ),
            _c(
                "I.E",
                "Trialability",
                "The ability to test the intervention on a small scale in the organization, and to be able to reverse course (undo implementation) if warranted.",
            ),
            _c(
                "I.F",
                "Complexity",
                "Perceived difficulty of implementation, reflected by duration, scope, radicalness, disruptiveness, centrality, and intricacy and number of steps required to implement.",
            ),
            _c(
                "I.G",
                "Design Quality & Packaging",
                "Perceived excellence in how the intervention is bundled, presented, and assembled.",
            ),
            _c(
                "I.H",
                "Cost",
                "Costs of the intervention and costs associated with implementing the intervention including investment, supply, and opportunity costs.",
            ),
        ),
    ),
    Domain(
        "II",
        "Outer setting",
        _("the world around the organisation"),
        (
            _c(
                "II.A",
                "Patient Needs & Resources",
                "The extent to which patient needs, as well as barriers and facilitators to meet those needs, are accurately known and prioritized by the organization.",
            ),
            _c(
                "II.B",
                "Cosmopolitanism",
                "The degree to which an organization is networked with other external organizations.",
            ),
            _c(
                "II.C",
                "Peer Pressure",
                "Mimetic or competitive pressure to implement an intervention; typically because most or other key peer or competing organizations have already implemented or are in a bid for a competitive edge.",
            ),
            _c(
                "II.D",
                "External Policy & Incentives",
                "A broad construct that includes external strategies to spread interventions, including policy and regulations (governmental or other central entity), external mandates, recommendations and guidelines, pay-for-performance, collaboratives, and public or benchmark reporting.",
            ),
        ),
    ),
    Domain(
        "III",
        "Inner setting",
        _("the receiving organisation"),
        (
            _c(
                "III.A",
                "Structural Characteristics",
                "The social architecture, age, maturity, and size of an organization.",
            ),
            _c(
                "III.B",
                "Networks & Communications",
                "The nature and quality of webs of social networks and the nature and quality of formal and informal communications within an organization.",
            ),
            _c("III.C", "Culture", "Norms, values, and basic assumptions of a given organization."),
            _c(
                "III.D",
                "Implementation Climate",
                "The absorptive capacity for change, shared receptivity of involved individuals to an intervention, and the extent to which use of that intervention will be rewarded, supported, and expected within their organization.",
            ),
            _c(
                "III.D.1",
                "Tension for Change",
                "The degree to which stakeholders perceive the current situation as intolerable or needing change.",
            ),
            _c(
                "III.D.2",
                "Compatibility",
                "The degree of tangible fit between meaning and values attached to the intervention by involved individuals, how those align with individuals' own norms, values, and perceived risks and needs, and how the intervention fits with existing workflows and systems.",
            ),
            _c(
                "III.D.3",
                "Relative Priority",
                "Individuals' shared perception of the importance of the implementation within the organization.",
            ),
            _c(
                "III.D.4",
                "Organizational Incentives & Rewards",
                "Extrinsic incentives such as goal-sharing awards, performance reviews, promotions, and raises in salary, and less tangible incentives such as increased stature or respect.",
            ),
            _c(
                "III.D.5",
                "Goals and Feedback",
                "The degree to which goals are clearly communicated, acted upon, and fed back to staff, and alignment of that feedback with goals.",
            ),
            _c(
                "III.D.6",
                "Learning Climate",
                "A climate in which: a) leaders express their own fallibility and need for team members' assistance and input; b) team members feel that they are essential, valued, and knowledgeable partners in the change process; c) individuals feel psychologically safe to try new methods; and d) there is sufficient time and space for reflective thinking and evaluation.",
            ),
            _c(
                "III.E",
                "Readiness for Implementation",
                "Tangible and immediate indicators of organizational commitment to its decision to implement an intervention.",
            ),
            _c(
                "III.E.1",
                "Leadership Engagement",
                "Commitment, involvement, and accountability of leaders and managers with the implementation.",
            ),
            _c(
                "III.E.2",
                "Available Resources",
                "The level of resources dedicated for implementation and on-going operations, including money, training, education, physical space, and time.",
            ),
            _c(
                "III.E.3",
                "Access to Knowledge & Information",
                "Ease of access to digestible information and knowledge about the intervention and how to incorporate it into work tasks.",
            ),
        ),
    ),
    Domain(
        "IV",
        "Characteristics of individuals",
        _("the people who will work with it"),
        (
            _c(
                "IV.A",
                "Knowledge & Beliefs about the Intervention",
                "Individuals' attitudes toward and value placed on the intervention as well as familiarity with facts, truths, and principles related to the intervention.",
            ),
            _c(
                "IV.B",
                "Self-efficacy",
                "Individual belief in their own capabilities to execute courses of action to achieve implementation goals.",
            ),
            _c(
                "IV.C",
                "Individual Stage of Change",
                "Characterization of the phase an individual is in, as he or she progresses toward skilled, enthusiastic, and sustained use of the intervention.",
            ),
            _c(
                "IV.D",
                "Individual Identification with Organization",
                "A broad construct related to how individuals perceive the organization, and their relationship and degree of commitment with that organization.",
            ),
            _c(
                "IV.E",
                "Other Personal Attributes",
                "A broad construct to include other personal traits such as tolerance of ambiguity, intellectual ability, motivation, values, competence, capacity, and learning style.",
            ),
        ),
    ),
    Domain(
        "V",
        "Process",
        _("how the implementation is carried out"),
        (
            _c(
                "V.A",
                "Planning",
                "The degree to which a scheme or method of behavior and tasks for implementing an intervention are developed in advance, and the quality of those schemes or methods.",
            ),
            _c(
                "V.B",
                "Engaging",
                "Attracting and involving appropriate individuals in the implementation and use of the intervention through a combined strategy of social marketing, education, role modeling, training, and other similar activities.",
            ),
            _c(
                "V.B.1",
                "Opinion Leaders",
                "Individuals in an organization who have formal or informal influence on the attitudes and beliefs of their colleagues with respect to implementing the intervention.",
            ),
            _c(
                "V.B.2",
                "Formally Appointed Internal Implementation Leaders",
                "Individuals from within the organization who have been formally appointed with responsibility for implementing an intervention as coordinator, project manager, team leader, or other similar role.",
            ),
            _c(
                "V.B.3",
                "Champions",
                "\"Individuals who dedicate themselves to supporting, marketing, and 'driving through' an [implementation]\", overcoming indifference or resistance that the intervention may provoke in an organization.",
            ),
            _c(
                "V.B.4",
                "External Change Agents",
                "Individuals who are affiliated with an outside entity who formally influence or facilitate intervention decisions in a desirable direction.",
            ),
            _c("V.C", "Executing", "Carrying out or accomplishing the implementation according to plan."),
            _c(
                "V.D",
                "Reflecting & Evaluating",
                "Quantitative and qualitative feedback about the progress and quality of implementation accompanied with regular personal and team debriefing about progress and experience.",
            ),
        ),
    ),
)

CONSTRUCTS: dict[str, Construct] = {c.code: c for d in DOMAINS for c in d.constructs}
CONSTRUCT_CODES: tuple[str, ...] = tuple(CONSTRUCTS)

# The rating scale CFIR users apply per construct: valence (+/-) and strength (1/2), or mixed or missing.
RATINGS: tuple[tuple[str, str], ...] = (
    ("+2", "+2"),
    ("+1", "+1"),
    ("0", "0"),
    ("-1", "−1"),
    ("-2", "−2"),
    ("X", "X"),
    ("M", "M"),
)
RATING_VALUES = tuple(value for value, _label in RATINGS)
NUMERIC = {"+2": 2, "+1": 1, "0": 0, "-1": -1, "-2": -2}


def rating_label(value: str) -> str:
    """A rating as text, with a real minus sign; "—" when the construct was not rated."""
    return dict(RATINGS).get(value, "—")
