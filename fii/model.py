"""The FII reference model: six phases and fifteen subphases, in one place.

Source: Broekhuizen, J. & Mak, J. (m.m.v. Boendermaker, L.) (2022). *Hoe implementeer en borg je
interventies met brede uitvoeringskaders in het sociaal domein? Een handreiking voor gemeenten en
maatschappelijke organisaties.* Hogeschool van Amsterdam, Lectoraat Armoede Interventies.

The phase and subphase names are the model's own Dutch terms and are shown as such. Goals, guiding
questions and completion criteria are paraphrased in our own words (English msgids, Dutch catalogue);
the handreiking's prose is not reproduced. Every screen, form and report reads this module.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SOURCE_CITATION = (
    "Broekhuizen, J. & Mak, J. (2022). Hoe implementeer en borg je interventies met brede "
    "uitvoeringskaders in het sociaal domein? Een handreiking voor gemeenten en maatschappelijke "
    "organisaties. Amsterdam: Hogeschool van Amsterdam, Lectoraat Armoede Interventies."
)


class Phase(models.TextChoices):
    SIGNALEREN = "signaleren", _("Signaleren")
    VERKENNEN = "verkennen", _("Verkennen")
    INNOVEREN = "innoveren", _("Innoveren")
    VERSTERKEN = "versterken", _("Versterken")
    IMPLEMENTEREN = "implementeren", _("Implementeren")
    BORGEN = "borgen", _("Borgen")


class Subphase(models.TextChoices):
    OPDRACHTGEVER = "1a", _("Identify the commissioner")
    INNOVATIEVRAAGSTUK = "1b", _("Identify the innovation question")
    UITVOERINGSKADERS = "1c", _("Identify the execution frame")
    SHORTLIST = "2a", _("Make a shortlist of suitable organisations")
    OVEREENKOMST = "2b", _("Reach an agreement with the receiving organisation")
    EIGENAARSCHAP = "2c", _("Create shared ownership")
    BALANS = "3a", _("Balance innovation and implementability")
    ONDERBOUWING = "3b", _("Describe the methodical foundation")
    SLEUTELFIGUREN = "4a", _("Try to find key figures")
    DRAAGKRACHT = "4b", _("Keep feeding support")
    IMPLEMENTATIETEAM = "5a", _("Appoint an implementation team")
    PDCA = "5b", _("Roll out the intervention with plan-do-check-act")
    TRAINEN = "5c", _("Train the (executing) professionals")
    KWALITEITSBEWAKING = "6a", _("Arrange quality monitoring")
    VERBETEREN = "6b", _("Keep improving quality and outcomes")


@dataclass(frozen=True)
class SubphaseSpec:
    code: Subphase
    goal: Promise
    guiding_questions: tuple[Promise, ...]
    activities: Promise

    @property
    def title(self) -> Promise:
        return self.code.label

    @property
    def phase(self) -> Phase:
        return PHASE_OF_SUBPHASE[self.code]


@dataclass(frozen=True)
class PhaseSpec:
    code: Phase
    number: int
    goal: Promise
    completion_criterion: Promise
    subphases: tuple[SubphaseSpec, ...] = field(default_factory=tuple)

    @property
    def title(self) -> Promise:
        return self.code.label


PHASES: tuple[PhaseSpec, ...] = (
    PhaseSpec(
        code=Phase.SIGNALEREN,
        number=1,
        goal=_(
            "Make the assignment clear: who commissions it, which innovation question must be answered "
            "and within which limits of time, money, scale and staff. Test whether the question is "
            "realistic within those limits and ambitious enough to tackle the core of the problem."
        ),
        completion_criterion=_("The assignment is clear."),
        subphases=(
            SubphaseSpec(
                code=Subphase.OPDRACHTGEVER,
                goal=_("Know who asks for the innovation and why."),
                guiding_questions=(_("Where does the request for innovation come from?"),),
                activities=_(
                    "Name the commissioner and the route by which the question reached you: a policy "
                    "plan, a signal from practice, a tender, a funder."
                ),
            ),
            SubphaseSpec(
                code=Subphase.INNOVATIEVRAAGSTUK,
                goal=_("Agree on the problem the innovation has to solve."),
                guiding_questions=(_("Which innovation question has to be solved?"),),
                activities=_(
                    "Write down the goal, the target group and the problem definition, and look for "
                    "the question behind the question."
                ),
            ),
            SubphaseSpec(
                code=Subphase.UITVOERINGSKADERS,
                goal=_("Know the frame within which the trajectory has to work."),
                guiding_questions=(
                    _("Within which frame must the trajectory be carried out?"),
                    _("Which resources are available?"),
                    _("What are the preconditions?"),
                ),
                activities=_(
                    "Record budget, period, scale and staff capacity, the political weight, whether the "
                    "question is anchored in a policy plan with targets, and any legal anchoring."
                ),
            ),
        ),
    ),
    PhaseSpec(
        code=Phase.VERKENNEN,
        number=2,
        goal=_(
            "Find the organisation that will implement and sustain the intervention, and make the "
            "giving and the receiving organisation owners of the trajectory together."
        ),
        completion_criterion=_("The giving and the receiving organisation share ownership of the trajectory."),
        subphases=(
            SubphaseSpec(
                code=Subphase.SHORTLIST,
                goal=_("Select two to four organisations that could adopt the intervention."),
                guiding_questions=(_("Which organisations would find this intervention interesting?"),),
                activities=_(
                    "Judge each candidate on culture (its real purpose, broad execution frames, learning "
                    "climate), its organisational frame (steering on targets or on the citizen's goal, "
                    "caseload, trajectory length) and its financing structure."
                ),
            ),
            SubphaseSpec(
                code=Subphase.OVEREENKOMST,
                goal=_("Choose one receiving organisation and agree on the collaboration."),
                guiding_questions=(_("With which organisation does a shared vision emerge in the talks?"),),
                activities=_(
                    "Hold orientation talks with management, project leaders and if possible executors; "
                    "weigh compatibility and implementation readiness, such as committing staff to the "
                    "implementation team."
                ),
            ),
            SubphaseSpec(
                code=Subphase.EIGENAARSCHAP,
                goal=_("Make both organisations feel responsible for the result."),
                guiding_questions=(_("What is needed to create shared ownership?"),),
                activities=_(
                    "Draw up a joint plan of approach: a kick-off, a shared point on the horizon, a "
                    "roadmap, who does what, and a periodic meeting on content and operations."
                ),
            ),
        ),
    ),
    PhaseSpec(
        code=Phase.INNOVEREN,
        number=3,
        goal=_(
            "Develop an intervention that answers the innovation question within the frame, keep its "
            "implementability in mind while doing so, and write it down."
        ),
        completion_criterion=_(
            "The intervention has been developed with implementability in mind and has been described."
        ),
        subphases=(
            SubphaseSpec(
                code=Subphase.BALANS,
                goal=_("Keep the intervention as simple and adaptable as the question allows."),
                guiding_questions=(_("What should the intervention look like?"),),
                activities=_(
                    "Weigh complexity and adaptability of the intervention (CFIR) against the answer it has to give."
                ),
            ),
            SubphaseSpec(
                code=Subphase.ONDERBOUWING,
                goal=_("Put the intervention on paper so that others can carry it out."),
                guiding_questions=(_("Which active components does the intervention stand or fall with?"),),
                activities=_(
                    "Describe goal, target group, approach, preconditions and active components "
                    "(werkzame bestanddelen); place it on the effectiveness ladder and consider "
                    "registration in a national database."
                ),
            ),
        ),
    ),
    PhaseSpec(
        code=Phase.VERSTERKEN,
        number=4,
        goal=_(
            "Find the other key figures, at every level of the system, who are needed to make the "
            "implementation succeed, and keep their support alive."
        ),
        completion_criterion=_("The most important key figures have been found."),
        subphases=(
            SubphaseSpec(
                code=Subphase.SLEUTELFIGUREN,
                goal=_("Have support at every level, from alderman to executor and citizen."),
                guiding_questions=(_("Who is needed to make the implementation a success?"),),
                activities=_(
                    "Look for key figures among aldermen, policy officers, line managers, project "
                    "leaders, executors and citizens."
                ),
            ),
            SubphaseSpec(
                code=Subphase.DRAAGKRACHT,
                goal=_("Keep support growing; it is never finished."),
                guiding_questions=(
                    _(
                        "Is everybody (still) pointing in the same direction, or is it time to sit down together "
                        "(again)?"
                    ),
                ),
                activities=_(
                    "Watch for waning support, such as silence or falling attendance, act on it, and "
                    "report back to the commissioner when it cannot be restored."
                ),
            ),
        ),
    ),
    PhaseSpec(
        code=Phase.IMPLEMENTEREN,
        number=5,
        goal=_("Start the actual implementation of the intervention at the receiving organisation."),
        completion_criterion=_("The intervention has been implemented."),
        subphases=(
            SubphaseSpec(
                code=Subphase.IMPLEMENTATIETEAM,
                goal=_("Have a small team with mandate that carries the implementation."),
                guiding_questions=(_("Which people are suited to sit on the implementation team?"),),
                activities=_(
                    "Appoint two or three people from both organisations who together bring leadership, "
                    "content knowledge, practical experience, communication and coordination."
                ),
            ),
            SubphaseSpec(
                code=Subphase.PDCA,
                goal=_("Steer the roll-out in short cycles."),
                guiding_questions=(
                    _(
                        "Which expected and unexpected points of attention come up during the trajectory, and how "
                        "and when do we take them up?"
                    ),
                ),
                activities=_(
                    "Keep a checklist per phase of what must work by its end; every two weeks the core "
                    "team rates each item green, orange or red and acts where it is not green "
                    "(stoplicht-methode)."
                ),
            ),
            SubphaseSpec(
                code=Subphase.TRAINEN,
                goal=_("Make the professionals aware, enthusiastic and skilled."),
                guiding_questions=(
                    _("How do we make sure the executing professionals develop the right competencies?"),
                ),
                activities=_(
                    "Select, train and coach the professionals who will work with the intervention; "
                    "watch staff turnover and find ambassadors."
                ),
            ),
        ),
    ),
    PhaseSpec(
        code=Phase.BORGEN,
        number=6,
        goal=_("Keep the intervention's integrity and effectiveness after implementation."),
        completion_criterion=_("Staff carry out the new way of working as a routine and with sufficient quality."),
        subphases=(
            SubphaseSpec(
                code=Subphase.KWALITEITSBEWAKING,
                goal=_("Watch over the quality of the intervention."),
                guiding_questions=(
                    _(
                        "How do we make sure staff keep their skills and knowledge and keep reflecting on "
                        "their practice?"
                    ),
                ),
                activities=_(
                    "Appoint a quality guard, choose a simple instrument such as a checklist, and collect feedback."
                ),
            ),
            SubphaseSpec(
                code=Subphase.VERBETEREN,
                goal=_("Keep learning from practice."),
                guiding_questions=(
                    _(
                        "What are we there for as an organisation, what is our work for, and how does our target "
                        "group gain from it?"
                    ),
                ),
                activities=_("Evaluate with executors regularly and follow improvements through."),
            ),
        ),
    ),
)

PHASE_SPECS: dict[str, PhaseSpec] = {spec.code: spec for spec in PHASES}
SUBPHASE_SPECS: dict[str, SubphaseSpec] = {sub.code: sub for spec in PHASES for sub in spec.subphases}
PHASE_OF_SUBPHASE: dict[str, Phase] = {sub.code: spec.code for spec in PHASES for sub in spec.subphases}
PHASE_ORDER: dict[str, int] = {spec.code: spec.number for spec in PHASES}


def phase_spec(code: str) -> PhaseSpec:
    return PHASE_SPECS[code]


def subphase_spec(code: str) -> SubphaseSpec:
    return SUBPHASE_SPECS[code]


def recommended_start_phase(*, has_commissioner: bool, receiving_identified: bool) -> Phase:
    """Figure 2 of the handreiking (start points of innovation trajectories).

    Commissioned, with a receiving organisation already identified: skip phases 1 and 2, start at
    Innoveren. Commissioned without one: skip phase 1, start at Verkennen. Not commissioned (a signal
    from practice): the figure also skips phase 1 and starts at Verkennen. The figure has no cell for
    "not commissioned but a receiving organisation identified"; there a receiving organisation still
    has to become co-owner, so Verkennen is the sensible start as well. No start point is better than
    another; users may override the recommendation with a reason (for example start at Signaleren
    when the assignment itself is still unclear).
    """
    if has_commissioner and receiving_identified:
        return Phase.INNOVEREN
    return Phase.VERKENNEN


@dataclass(frozen=True)
class StartPoint:
    """One cell of figure 2 with the points of attention that go with it (in our own words).

    ``source`` says where in the handreiking the points come from. The text we checked is the handreiking's
    web version, which has no page numbers, so the reference names the phase, subphase and figure.
    """

    title: Promise
    in_figure: bool
    points: tuple[Promise, ...]
    source: Promise
    # The receiving organisation is identified but may not be recorded yet: then RECORD_RECEIVING is a point too.
    record_receiving: bool = False

    def for_trajectory(self, *, receiving_recorded: bool) -> StartPoint:
        """The points for one trajectory: asking to record the receiving organisation only while it is not."""
        if self.record_receiving and not receiving_recorded:
            return dataclasses.replace(self, points=(*self.points, RECORD_RECEIVING))
        return self


RECORD_RECEIVING = _(
    "Record the receiving organisation here (add it to the shortlist and choose it), so its people get "
    "access and the ownership balance counts their tasks."
)


# Figure 2 says no start point is better than another, but each has its own process and points of attention
# (handreiking, phase 1, subphase 1a, figure 2). The points below gather what the handreiking says elsewhere
# about each situation: 1a (an external commissioner is usually also the receiving organisation; signals from
# executors or the council usually come without one), 1b (the question behind the question, agreed with the
# commissioner), 2a (finding candidates, the help of municipal departments and bridge financing) and 2c
# (ownership handed over as early as possible, a joint plan of approach).
START_POINTS: dict[tuple[bool, bool], StartPoint] = {
    (True, True): StartPoint(
        title=_("Commissioned, receiving organisation identified"),
        in_figure=True,
        points=(
            _(
                "Phases 1 and 2 are skipped, not done: check with the commissioner that the question behind the "
                "question is clear and that time, money, scale and staff are known."
            ),
            _(
                "The commissioner is often the receiving organisation too. Make it co-owner from the start with a "
                "joint plan of approach, so the intervention is not handed over too late."
            ),
        ),
        source=_("Handreiking, phase 1 (1a, 1b, figure 2) and phase 2 (2c)"),
        record_receiving=True,
    ),
    (True, False): StartPoint(
        title=_("Commissioned, no receiving organisation yet"),
        in_figure=True,
        points=(
            _(
                "Finding the receiving organisation comes first: a shortlist of two to four, weighed on culture, "
                "organisational frame and financing structure."
            ),
            _(
                "Other municipal departments (youth, work and income, health) often know suitable parties and can "
                "sometimes help with a subsidy or bridge financing between development and implementation."
            ),
            _("Phase 1 is skipped: agree the innovation question and its frame with the commissioner all the same."),
        ),
        source=_("Handreiking, phase 1 (1a, 1b, figure 2) and phase 2 (2a)"),
    ),
    (False, False): StartPoint(
        title=_("Not commissioned: a signal from practice"),
        in_figure=True,
        points=(
            _(
                "The question comes from practice, for example executors who run into system errors, or from the "
                "council. Find who will own it and sharpen it into the question behind the question."
            ),
            _(
                "There is no receiving organisation yet: build the shortlist, and hand over ownership as early as "
                "possible through a joint plan of approach."
            ),
        ),
        source=_("Handreiking, phase 1 (1a, 1b, figure 2) and phase 2 (2a, 2c)"),
    ),
    (False, True): StartPoint(
        title=_("Not commissioned, receiving organisation identified"),
        in_figure=False,
        points=(
            _(
                "Figure 2 has no cell for this situation. The organisation still has to become co-owner, and "
                "someone has to commission the work: both are phase 2 work."
            ),
        ),
        source=_("Handreiking, phase 1 (1a, figure 2) and phase 2 (2c)"),
        record_receiving=True,
    ),
}


def start_point(*, has_commissioner: bool, receiving_identified: bool) -> StartPoint:
    return START_POINTS[(has_commissioner, receiving_identified)]


# Subphase 2a: what to look at when judging a candidate receiving organisation. The handreiking groups
# the aspects under culture, organisational frame and financing structure; the questions are ours.
class Criterion(models.TextChoices):
    BEDOELING = "bedoeling", _("Purpose (de bedoeling)")
    UITVOERINGSKADERS = "uitvoeringskaders", _("Broad execution frames")
    LEERKLIMAAT = "leerklimaat", _("Learning climate")
    STURING = "sturing", _("Targets or the citizen's goal")
    CASELOAD = "caseload", _("Caseload")
    TRAJECTDUUR = "trajectduur", _("Trajectory length")
    # The financing structure (figure 3) is no criterion: it is no reason to exclude a candidate. Its
    # question is answered with what the process needs (``FinancingNeed``), see migration 0022.


class CriterionGroup(models.TextChoices):
    CULTUUR = "cultuur", _("Culture")
    KADERS = "kaders", _("Organisational frame")


@dataclass(frozen=True)
class CriterionSpec:
    code: Criterion
    group: CriterionGroup
    question: Promise

    @property
    def title(self) -> Promise:
        return self.code.label


SHORTLIST_CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec(
        Criterion.BEDOELING,
        CriterionGroup.CULTUUR,
        _(
            "What does the organisation really aim for, judged by what it does rather than what it says, "
            "and does the intervention serve that aim?"
        ),
    ),
    CriterionSpec(
        Criterion.UITVOERINGSKADERS,
        CriterionGroup.CULTUUR,
        _("Does the organisation give its professionals the room that the intervention's broad frames ask for?"),
    ),
    CriterionSpec(
        Criterion.LEERKLIMAAT,
        CriterionGroup.CULTUUR,
        _("Does the organisation learn from practice: is there room to try, reflect and adjust?"),
    ),
    CriterionSpec(
        Criterion.STURING,
        CriterionGroup.KADERS,
        _("Is the work steered on output targets, or on what the citizen needs? The second fits better."),
    ),
    CriterionSpec(
        Criterion.CASELOAD,
        CriterionGroup.KADERS,
        _("Can professionals take on the intervention with their caseload, or must it change, and can it?"),
    ),
    CriterionSpec(
        Criterion.TRAJECTDUUR,
        CriterionGroup.KADERS,
        _(
            "Do the average and maximum length of a client's trajectory leave room for the intervention, "
            "or must they change, and can they?"
        ),
    ),
)
CRITERION_SPECS: dict[str, CriterionSpec] = {spec.code: spec for spec in SHORTLIST_CRITERIA}

# Figure 3 (handreiking, phase 2, subphase 2a "Wat is de financieringsstructuur van de organisatie?"): the
# financing structure is no reason to exclude an organisation, but it changes what to ask and what the
# implementation process needs.
FINANCING_QUESTIONS: dict[str, tuple[Promise, ...]] = {
    "wettelijk": (_("Does the organisation understand the vision behind the intervention, and is it open to it?"),),
    "extern": (_("Who funds the organisation, and are those funders open to the intervention?"),),
    "gemengd": (
        _("Does the organisation understand the vision behind the intervention, and is it open to it?"),
        _("Who funds the organisation, and are those funders open to the intervention?"),
    ),
    "onbekend": (_("Find out first how the organisation is funded: from statutory frames or externally."),),
}


class FinancingNeed(models.TextChoices):
    """What the implementation process needs, given the answer to the figure-3 question. Not a score.

    The talks follow the two rows of figure 3 (vision for organisations funded from statutory frames,
    the funders for externally funded ones); bridge financing between development and implementation
    is what, according to the handreiking's 2a, municipal departments can sometimes offer; structural
    funding talks are the step after it.
    """

    ONBEKEND = "onbekend", _("Not discussed yet")
    GEEN = "geen", _("Nothing extra: the financing leaves room")
    VISIE = "visie", _("Talks about the vision with the organisation")
    FINANCIERS = "financiers", _("Talks with the funders")
    OVERBRUGGING = "overbrugging", _("Bridge financing between development and implementation")
    STRUCTUREEL = "structureel", _("Talks about structural funding")


# The model advises a shortlist of two to four organisations; outside that range we warn, never forbid.
SHORTLIST_ADVISED = (2, 4)


# Subphase 3b: the effectiveness ladder (Veerman & Van Yperen), lowest rung first.
class EffectivenessLevel(models.TextChoices):
    # Level 0 (implicit knowledge) is where most innovations born in practice start: the know-how is in
    # the heads of the professionals and not yet written down (NJi's effectiveness ladder counts it).
    IMPLICIET = "impliciet", _("Implicit knowledge (level 0)")
    BESCHRIJVEND = "beschrijvend", _("Descriptive")
    THEORETISCH = "theoretisch", _("Plausible (theoretical)")
    INDICATIEF = "indicatief", _("Indicative")
    CAUSAAL = "causaal", _("Causal")


EFFECTIVENESS_HELP = {
    EffectivenessLevel.IMPLICIET: _("The approach lives in the practice and heads of professionals, not yet on paper."),
    EffectivenessLevel.BESCHRIJVEND: _("The intervention is written down so others can carry it out."),
    EffectivenessLevel.THEORETISCH: _("A theory or research explains why the approach should work."),
    EffectivenessLevel.INDICATIEF: _("Measurements show the intended effects appear, without proof of cause."),
    EffectivenessLevel.CAUSAAL: _("Controlled research shows the intervention causes the effects."),
}


class InterventionDatabase(models.TextChoices):
    GEEN = "geen", _("None")
    NJI = "nji", _("NJi – Databank Effectieve Jeugdinterventies")
    MOVISIE = "movisie", _("Movisie – Databank Effectieve sociale interventies")
    LOKET_GEZOND_LEVEN = "loket_gezond_leven", _("Loket Gezond Leven (RIVM) – Interventiedatabase")
    JUSTITIELE = "justitiele_interventies", _("Justitiële interventies (Erkenningscommissie Justitiële interventies)")
    ANDERS = "anders", _("Other database")


class RecognitionLevel(models.TextChoices):
    """The level at which the Erkenningscommissie recognised the intervention in its database."""

    GEEN = "geen", _("Not (yet) recognised")
    GOED_ONDERBOUWD = "goed_onderbouwd", _("Well-founded (goed onderbouwd)")
    EERSTE = "eerste_aanwijzingen", _("Effective according to first indications")
    GOEDE = "goede_aanwijzingen", _("Effective according to good indications")
    STERKE = "sterke_aanwijzingen", _("Effective according to strong indications")


class RegistrationStatus(models.TextChoices):
    NIET_AANGEMELD = "niet_aangemeld", _("Not submitted")
    AANGEMELD = "aangemeld", _("Submitted")
    OPGENOMEN = "opgenomen", _("Included")
    AFGEWEZEN = "afgewezen", _("Not included")
