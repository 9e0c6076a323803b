# ruff: noqa: E501  (one construct per line: its code, names and descriptions)
"""The CFIR of 2009: five domains, 39 constructs (figure 10 of the handreiking).

English names and definitions are the framework's own, as figure 10 of the handreiking lists them
(Damschroder et al. 2009, Implementation Science 4:50, table 1; cfirguide.org, archived list). The Dutch names
and descriptions are the product's own wording. Counted from table 1 of the 2009 paper: I 8, II 4,
III 5 constructs with 9 subconstructs, IV 5, V 4 constructs with 4 subconstructs; 39 in all.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import Construct, Domain, Framework

CITATION = (
    "Damschroder, L.J., Aron, D.C., Keith, R.E., Kirsh, S.R., Alexander, J.A. & Lowery, J.C. (2009). "
    "Fostering implementation of health services research findings into practice: a consolidated framework "
    "for advancing implementation science. Implementation Science, 4, 50."
)


def _c(code, name, nl_name, nl_description, description):
    return Construct(code, name, nl_name, nl_description, description)


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "I",
        "Intervention characteristics",
        "Kenmerken van de interventie",
        _("the intervention itself"),
        (
            _c(
                "I.A",
                "Intervention Source",
                "Herkomst van de interventie",
                "Of betrokkenen de interventie zien als iets van buiten of als iets uit de eigen organisatie.",
                "Perception of key stakeholders about whether the intervention is externally or internally developed.",
            ),
            _c(
                "I.B",
                "Evidence Strength & Quality",
                "Sterkte en kwaliteit van het bewijs",
                "Hoe betrokkenen de kwaliteit van het bewijs beoordelen dat de interventie het beoogde resultaat heeft.",
                "Stakeholders' perceptions of the quality and validity of evidence supporting the belief that the intervention will have desired outcomes.",
            ),
            _c(
                "I.C",
                "Relative Advantage",
                "Relatief voordeel",
                "Welk voordeel betrokkenen zien van deze interventie boven een andere oplossing.",
                "Stakeholders' perception of the advantage of implementing the intervention versus an alternative solution.",
            ),
            _c(
                "I.D",
                "Adaptability",
                "Aanpasbaarheid",
                "Hoe ver de interventie kan worden aangepast aan plaatselijke behoeften.",
                "The degree to which an intervention can be adapted, tailored, refined, or reinvented to meet local needs.",
            ),
            _c(
                "I.E",
                "Trialability",
                "Uitprobeerbaarheid",
                "Of de interventie eerst op kleine schaal kan worden geprobeerd en zo nodig teruggedraaid.",
                "The ability to test the intervention on a small scale in the organization, and to be able to reverse course (undo implementation) if warranted.",
            ),
            _c(
                "I.F",
                "Complexity",
                "Complexiteit",
                "Hoe moeilijk de invoering wordt gevonden: duur, omvang, ingrijpendheid en aantal stappen.",
                "Perceived difficulty of implementation, reflected by duration, scope, radicalness, disruptiveness, centrality, and intricacy and number of steps required to implement.",
            ),
            _c(
                "I.G",
                "Design Quality & Packaging",
                "Vormgeving en presentatie",
                "Hoe goed de interventie volgens betrokkenen is samengesteld en gepresenteerd.",
                "Perceived excellence in how the intervention is bundled, presented, and assembled.",
            ),
            _c(
                "I.H",
                "Cost",
                "Kosten",
                "Wat de interventie en de invoering ervan kosten.",
                "Costs of the intervention and costs associated with implementing the intervention including investment, supply, and opportunity costs.",
            ),
        ),
    ),
    Domain(
        "II",
        "Outer setting",
        "Externe context",
        _("the world around the organisation"),
        (
            _c(
                "II.A",
                "Patient Needs & Resources",
                "Behoeften en mogelijkheden van de doelgroep",
                "Hoe goed de organisatie de behoeften van de doelgroep en wat hen belemmert kent en voorrang geeft.",
                "The extent to which patient needs, as well as barriers and facilitators to meet those needs, are accurately known and prioritized by the organization.",
            ),
            _c(
                "II.B",
                "Cosmopolitanism",
                "Verbondenheid met andere organisaties",
                "Hoe sterk de organisatie in netwerken met andere organisaties zit.",
                "The degree to which an organization is networked with other external organizations.",
            ),
            _c(
                "II.C",
                "Peer Pressure",
                "Druk van vergelijkbare organisaties",
                "Druk om in te voeren omdat vergelijkbare of concurrerende organisaties het al doen.",
                "Mimetic or competitive pressure to implement an intervention; typically because most or other key peer or competing organizations have already implemented or are in a bid for a competitive edge.",
            ),
            _c(
                "II.D",
                "External Policy & Incentives",
                "Extern beleid en prikkels",
                "Beleid, regels, richtlijnen, prestatieafspraken en andere prikkels van buiten die de invoering sturen.",
                "A broad construct that includes external strategies to spread interventions, including policy and regulations (governmental or other central entity), external mandates, recommendations and guidelines, pay-for-performance, collaboratives, and public or benchmark reporting.",
            ),
        ),
    ),
    Domain(
        "III",
        "Inner setting",
        "Interne context",
        _("the receiving organisation"),
        (
            _c(
                "III.A",
                "Structural Characteristics",
                "Structurele kenmerken",
                "De opbouw van de organisatie: omvang, leeftijd, volwassenheid en indeling.",
                "The social architecture, age, maturity, and size of an organization.",
            ),
            _c(
                "III.B",
                "Networks & Communications",
                "Netwerken en communicatie",
                "De kwaliteit van de onderlinge contacten en van de formele en informele communicatie in de organisatie.",
                "The nature and quality of webs of social networks and the nature and quality of formal and informal communications within an organization.",
            ),
            _c(
                "III.C",
                "Culture",
                "Cultuur",
                "De normen, waarden en vanzelfsprekende aannames van de organisatie.",
                "Norms, values, and basic assumptions of a given organization.",
            ),
            _c(
                "III.D",
                "Implementation Climate",
                "Invoeringsklimaat",
                "Hoeveel ruimte er is voor verandering en hoe breed men vindt dat de interventie gesteund en gewaardeerd wordt.",
                "The absorptive capacity for change, shared receptivity of involved individuals to an intervention, and the extent to which use of that intervention will be rewarded, supported, and expected within their organization.",
            ),
            _c(
                "III.D.1",
                "Tension for Change",
                "Urgentie voor verandering",
                "Of betrokkenen de huidige situatie onhoudbaar vinden en verandering nodig achten.",
                "The degree to which stakeholders perceive the current situation as intolerable or needing change.",
            ),
            _c(
                "III.D.2",
                "Compatibility",
                "Verenigbaarheid",
                "Hoe goed de interventie past bij de waarden en normen van betrokkenen en bij de bestaande werkprocessen.",
                "The degree of tangible fit between meaning and values attached to the intervention by involved individuals, how those align with individuals' own norms, values, and perceived risks and needs, and how the intervention fits with existing workflows and systems.",
            ),
            _c(
                "III.D.3",
                "Relative Priority",
                "Relatieve prioriteit",
                "Hoe belangrijk de invoering wordt gevonden naast ander werk in de organisatie.",
                "Individuals' shared perception of the importance of the implementation within the organization.",
            ),
            _c(
                "III.D.4",
                "Organizational Incentives & Rewards",
                "Prikkels en beloning in de organisatie",
                "Erkenning, beoordeling, promotie of beloning die aan de invoering verbonden zijn.",
                "Extrinsic incentives such as goal-sharing awards, performance reviews, promotions, and raises in salary, and less tangible incentives such as increased stature or respect.",
            ),
            _c(
                "III.D.5",
                "Goals and Feedback",
                "Doelen en terugkoppeling",
                "Hoe duidelijk doelen worden gesteld, gedeeld en teruggekoppeld.",
                "The degree to which goals are clearly communicated, acted upon, and fed back to staff, and alignment of that feedback with goals.",
            ),
            _c(
                "III.D.6",
                "Learning Climate",
                "Leerklimaat",
                "Of medewerkers zich gewaardeerd en veilig voelen om nieuwe dingen te proberen.",
                "A climate in which: a) leaders express their own fallibility and need for team members' assistance and input; b) team members feel that they are essential, valued, and knowledgeable partners in the change process; c) individuals feel psychologically safe to try new methods; and d) there is sufficient time and space for reflective thinking and evaluation.",
            ),
            _c(
                "III.E",
                "Readiness for Implementation",
                "Gereedheid voor invoering",
                "Zichtbare tekenen dat de organisatie klaar is om de interventie in te voeren.",
                "Tangible and immediate indicators of organizational commitment to its decision to implement an intervention.",
            ),
            _c(
                "III.E.1",
                "Leadership Engagement",
                "Betrokkenheid van de leiding",
                "Inzet en verantwoordelijkheid van leidinggevenden voor de invoering.",
                "Commitment, involvement, and accountability of leaders and managers with the implementation.",
            ),
            _c(
                "III.E.2",
                "Available Resources",
                "Beschikbare middelen",
                "Geld, opleiding, ruimte en tijd die voor de invoering beschikbaar zijn.",
                "The level of resources dedicated for implementation and on-going operations, including money, training, education, physical space, and time.",
            ),
            _c(
                "III.E.3",
                "Access to Knowledge & Information",
                "Toegang tot kennis en informatie",
                "Of informatie en kennis over de interventie gemakkelijk te vinden zijn.",
                "Ease of access to digestible information and knowledge about the intervention and how to incorporate it into work tasks.",
            ),
        ),
    ),
    Domain(
        "IV",
        "Characteristics of individuals",
        "Kenmerken van betrokkenen",
        _("the people who will work with it"),
        (
            _c(
                "IV.A",
                "Knowledge & Beliefs about the Intervention",
                "Kennis en opvattingen over de interventie",
                "Wat men van de interventie weet en vindt.",
                "Individuals' attitudes toward and value placed on the intervention as well as familiarity with facts, truths, and principles related to the intervention.",
            ),
            _c(
                "IV.B",
                "Self-efficacy",
                "Vertrouwen in eigen kunnen",
                "Of men erop vertrouwt de interventie zelf goed te kunnen uitvoeren.",
                "Individual belief in their own capabilities to execute courses of action to achieve implementation goals.",
            ),
            _c(
                "IV.C",
                "Individual Stage of Change",
                "Fase van verandering",
                "Hoe ver iemand is op weg naar vakkundig en blijvend gebruik.",
                "Characterization of the phase an individual is in, as he or she progresses toward skilled, enthusiastic, and sustained use of the intervention.",
            ),
            _c(
                "IV.D",
                "Individual Identification with Organization",
                "Verbondenheid met de organisatie",
                "Hoe iemand de organisatie ziet en zich ermee verbonden voelt.",
                "A broad construct related to how individuals perceive the organization, and their relationship and degree of commitment with that organization.",
            ),
            _c(
                "IV.E",
                "Other Personal Attributes",
                "Andere persoonlijke kenmerken",
                "Andere eigenschappen, zoals omgaan met onzekerheid, motivatie, waarden en leerstijl.",
                "A broad construct to include other personal traits such as tolerance of ambiguity, intellectual ability, motivation, values, competence, capacity, and learning style.",
            ),
        ),
    ),
    Domain(
        "V",
        "Process",
        "Proces",
        _("how the implementation is carried out"),
        (
            _c(
                "V.A",
                "Planning",
                "Plannen",
                "Of vooraf een plan met taken en werkwijze is gemaakt, en hoe goed dat plan is.",
                "The degree to which a scheme or method of behavior and tasks for implementing an intervention are developed in advance, and the quality of those schemes or methods.",
            ),
            _c(
                "V.B",
                "Engaging",
                "Betrekken",
                "De juiste mensen winnen en betrekken, bijvoorbeeld met voorlichting, voorbeelden en training.",
                "Attracting and involving appropriate individuals in the implementation and use of the intervention through a combined strategy of social marketing, education, role modeling, training, and other similar activities.",
            ),
            _c(
                "V.B.1",
                "Opinion Leaders",
                "Opiniemakers",
                "Mensen met formele of informele invloed op de houding van collega's.",
                "Individuals in an organization who have formal or informal influence on the attitudes and beliefs of their colleagues with respect to implementing the intervention.",
            ),
            _c(
                "V.B.2",
                "Formally Appointed Internal Implementation Leaders",
                "Formeel aangestelde interne trekkers",
                "Mensen in de organisatie die formeel verantwoordelijk zijn voor de invoering.",
                "Individuals from within the organization who have been formally appointed with responsibility for implementing an intervention as coordinator, project manager, team leader, or other similar role.",
            ),
            _c(
                "V.B.3",
                "Champions",
                "Pleitbezorgers",
                "Mensen die zich persoonlijk voor de interventie inzetten en weerstand helpen overwinnen.",
                "\\\"Individuals who dedicate themselves to supporting, marketing, and 'driving through' an [implementation]\\\", overcoming indifference or resistance that the intervention may provoke in an organization.",
            ),
            _c(
                "V.B.4",
                "External Change Agents",
                "Externe veranderaars",
                "Mensen van buiten die de invoering formeel begeleiden of bevorderen.",
                "Individuals who are affiliated with an outside entity who formally influence or facilitate intervention decisions in a desirable direction.",
            ),
            _c(
                "V.C",
                "Executing",
                "Uitvoeren",
                "De invoering volgens plan uitvoeren.",
                "Carrying out or accomplishing the implementation according to plan.",
            ),
            _c(
                "V.D",
                "Reflecting & Evaluating",
                "Reflecteren en evalueren",
                "Terugkoppeling over voortgang en kwaliteit van de invoering, regelmatig besproken in het team.",
                "Quantitative and qualitative feedback about the progress and quality of implementation accompanied with regular personal and team debriefing about progress and experience.",
            ),
        ),
    ),
)

FRAMEWORK = Framework(
    version="2009",
    title="CFIR (2009)",
    citation=CITATION,
    source_url="https://cfirguide.org/",
    counted_from="Damschroder et al. 2009, table 1; figure 10 of the handreiking",
    domains=DOMAINS,
)
