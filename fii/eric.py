# ruff: noqa: E501  (one strategy per line: its number, names, cluster and description)
"""Implementation strategies for CFIR barriers: the ERIC compilation and the CFIR–ERIC expert matches.

Reference data, kept like the CFIR constructs (``fii.cfir``): a Python module, the same in every
installation, loaded by nothing and changed only with the code.

Sources (checked with the project's search tool, December 2026):

- **The 73 strategies**: Powell, B.J., Waltz, T.J., Chinman, M.J., Damschroder, L.J., Smith, J.L., Matthieu,
  M.M., Proctor, E.K. & Kirchner, J.E. (2015). A refined compilation of implementation strategies: results
  from the Expert Recommendations for Implementing Change (ERIC) project. *Implementation Science*, 10, 21
  (table 3, the 73 strategies in alphabetical order; ``number`` is the position in that table). The English
  names are the compilation's; the Dutch names and descriptions are the product's own wording for the social
  domain, not translations of the published definitions.
- **The nine clusters**: Waltz, T.J., Powell, B.J., Matthieu, M.M., Damschroder, L.J., Chinman, M.J., Smith,
  J.L., Proctor, E.K. & Kirchner, J.E. (2015). Use of concept mapping to characterize relationships among
  implementation strategies and assess their feasibility and importance: results from the ERIC study.
  *Implementation Science*, 10, 109 (the cluster of each strategy). Checked against the cluster columns that
  later papers reprint (Implementation Science Communications 4:144 (2023) and the PMC table of PMC11446052).
- **The matches**: Waltz, T.J., Powell, B.J., Fernández, M.E., Abadie, B. & Damschroder, L.J. (2019).
  Choosing implementation strategies to address contextual barriers: diversity in recommendations and future
  directions. *Implementation Science*, 14, 42. 169 experts chose up to seven strategies per CFIR (2009)
  barrier; level 1 = chosen by at least 50 % of the experts who answered for that barrier, level 2 = 20–49 %.
  The paper's text and cfirguide.org give 33 level-1 and 332 level-2 pairs over 39 barriers; its table 2
  gives the number of level-1 and level-2 strategies per barrier.

What is NOT here: the full 39 × 73 matrix (the paper's additional file, the "CFIR-ERIC Matching Tool"
spreadsheet) could not be found in a public copy reachable from here. This module holds only percentages
read from published tables, each table named in ``SOURCES``:

- table 1 of Waltz 2019 (Reflecting & Evaluating: every strategy with its percentage — complete);
- table 5 of Waltz 2019 (seven barriers of a case example, the strategies down to "Revise professional
  roles" in the order of their cumulative percentage — level 1 complete as far as the listed rows go,
  level 2 possibly missing rows below);
- table 3 of Implementation Science Communications 4:144 (2023; five barriers reproduced from the Matching
  Tool by the authors of that study — a secondary source; its compatibility column agrees with table 5 of
  Waltz 2019 on every shared row).

So the product shows suggestions for the barriers below only, says that the list is partial, and never
invents a percentage. ``PUBLISHED_LEVEL1_TOTAL`` and ``PUBLISHED_COUNTS`` are the paper's own numbers, for the
tests; ``COMPLETE_LEVEL1`` names the barriers whose level-1 list is checked against table 2.

The barriers of the study are the 2009 constructs, with Engaging split as the CFIR codebook splits it
("Key stakeholders", "Patients/consumers"). Both have no code of their own in ``fii.cfir.v2009`` (which
follows the 2009 paper: Engaging with four subconstructs); the product files them under Engaging (V.B).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cluster(models.TextChoices):
    """The nine clusters of Waltz et al. 2015 (Implementation Science 10:109), in their published order."""

    EVALUATIVE = "evaluative", _("Use evaluative and iterative strategies")
    INTERACTIVE = "interactive", _("Provide interactive assistance")
    ADAPT = "adapt", _("Adapt and tailor to context")
    RELATIONSHIPS = "relationships", _("Develop stakeholder interrelationships")
    TRAIN = "train", _("Train and educate stakeholders")
    SUPPORT = "support", _("Support clinicians")
    CONSUMERS = "consumers", _("Engage consumers")
    FINANCIAL = "financial", _("Utilize financial strategies")
    INFRASTRUCTURE = "infrastructure", _("Change infrastructure")


@dataclass(frozen=True)
class Strategy:
    number: int  # position in table 3 of Powell et al. 2015 (alphabetical)
    name: str  # the compilation's English name
    nl_name: str  # the product's Dutch name
    cluster: str  # Cluster value (Waltz et al. 2015)
    nl_description: str  # the product's own short description, for the social domain

    @property
    def code(self) -> str:
        return f"E{self.number:02d}"

    @property
    def cluster_label(self) -> str:
        return str(Cluster(self.cluster).label)


E, I, A, R, T, S, C, F, N = (  # noqa: E741  (one letter per cluster keeps the table readable)
    Cluster.EVALUATIVE,
    Cluster.INTERACTIVE,
    Cluster.ADAPT,
    Cluster.RELATIONSHIPS,
    Cluster.TRAIN,
    Cluster.SUPPORT,
    Cluster.CONSUMERS,
    Cluster.FINANCIAL,
    Cluster.INFRASTRUCTURE,
)

STRATEGIES: tuple[Strategy, ...] = (
    Strategy(
        1,
        "Access new funding",
        "Nieuwe financiering aanboren",
        F,
        "Zoek geld buiten de bestaande budgetten, bijvoorbeeld bij fondsen of een subsidieregeling, om de invoering te betalen.",
    ),
    Strategy(
        2,
        "Alter incentive/allowance structures",
        "Beloning en vergoeding aanpassen",
        F,
        "Verander wat organisaties of medewerkers krijgen zodat de nieuwe werkwijze loont in plaats van kost.",
    ),
    Strategy(
        3,
        "Alter patient/consumer fees",
        "Eigen bijdrage aanpassen",
        F,
        "Verlaag of schrap wat inwoners zelf betalen als die bijdrage mensen afhoudt van de nieuwe aanpak.",
    ),
    Strategy(
        4,
        "Assess for readiness and identify barriers and facilitators",
        "Gereedheid, drempels en steun in kaart brengen",
        E,
        "Ga na of de organisatie er klaar voor is en wat de invoering helpt of hindert, voordat het plan vastligt.",
    ),
    Strategy(
        5,
        "Audit and provide feedback",
        "Meten en terugkoppelen",
        E,
        "Verzamel over een periode hoe het werk gaat en bespreek de uitkomsten met wie het doet.",
    ),
    Strategy(
        6,
        "Build a coalition",
        "Een coalitie vormen",
        R,
        "Zoek partners binnen en buiten de organisatie die de invoering samen dragen.",
    ),
    Strategy(
        7,
        "Capture and share local knowledge",
        "Lokale kennis vastleggen en delen",
        R,
        "Leg vast hoe collega's elders het aanpakten en maak die ervaring beschikbaar voor het eigen team.",
    ),
    Strategy(
        8,
        "Centralize technical assistance",
        "Ondersteuning centraal organiseren",
        I,
        "Richt één plek in die meerdere locaties of teams helpt met praktische vragen over de invoering.",
    ),
    Strategy(
        9,
        "Change accreditation or membership requirements",
        "Erkennings- of lidmaatschapseisen veranderen",
        N,
        "Laat beroeps- of brancheorganisaties de nieuwe werkwijze opnemen in hun eisen voor erkenning of lidmaatschap.",
    ),
    Strategy(
        10,
        "Change liability laws",
        "Aansprakelijkheidsregels veranderen",
        N,
        "Werk aan regels over aansprakelijkheid zodat professionals de nieuwe werkwijze durven toe te passen.",
    ),
    Strategy(
        11,
        "Change physical structure and equipment",
        "Ruimte en middelen aanpassen",
        N,
        "Pas gebouw, inrichting of apparatuur aan zodat de nieuwe werkwijze praktisch mogelijk is.",
    ),
    Strategy(
        12,
        "Change record systems",
        "Registratiesystemen aanpassen",
        N,
        "Pas dossiers en registratie aan zodat vastgelegd en gevolgd kan worden wat de nieuwe werkwijze vraagt.",
    ),
    Strategy(
        13,
        "Change service sites",
        "Andere locaties kiezen",
        N,
        "Bied de dienst aan op plekken waar de doelgroep makkelijker komt, zoals de wijk of de school.",
    ),
    Strategy(
        14,
        "Conduct cyclical small tests of change",
        "Kleine verbeterrondes draaien",
        E,
        "Probeer veranderingen eerst klein uit, kijk wat er gebeurt en stel bij voordat je verder gaat.",
    ),
    Strategy(
        15,
        "Conduct educational meetings",
        "Voorlichtingsbijeenkomsten houden",
        T,
        "Organiseer bijeenkomsten waarin betrokkenen horen wat de nieuwe werkwijze is en waarom.",
    ),
    Strategy(
        16,
        "Conduct educational outreach visits",
        "Uitleg op de werkplek geven",
        T,
        "Laat een deskundige de professionals op hun eigen werkplek bezoeken om de aanpak toe te lichten.",
    ),
    Strategy(
        17,
        "Conduct local consensus discussions",
        "Lokaal overeenstemming zoeken",
        R,
        "Bespreek met betrokkenen of het probleem ertoe doet en of de gekozen aanpak past, tot er gedeelde steun is.",
    ),
    Strategy(
        18,
        "Conduct local needs assessment",
        "Lokale behoeften peilen",
        E,
        "Zoek uit wat de doelgroep en de professionals nodig hebben, zodat de aanpak aansluit.",
    ),
    Strategy(
        19,
        "Conduct ongoing training",
        "Doorlopend trainen",
        T,
        "Blijf professionals trainen, ook na de start, zodat kennis en vaardigheid op peil blijven.",
    ),
    Strategy(
        20,
        "Create a learning collaborative",
        "Een lerend netwerk opzetten",
        T,
        "Breng teams of organisaties samen die dezelfde aanpak invoeren om van elkaar te leren.",
    ),
    Strategy(
        21,
        "Create new clinical teams",
        "Nieuwe teams samenstellen",
        S,
        "Stel teams samen met de mix van disciplines die de nieuwe werkwijze vraagt.",
    ),
    Strategy(
        22,
        "Create or change credentialing and/or licensure standards",
        "Bevoegdheids- of registratie-eisen aanpassen",
        N,
        "Werk aan eisen voor bevoegdheid of registratie zodat vakmensen de nieuwe werkwijze mogen en moeten beheersen.",
    ),
    Strategy(
        23,
        "Develop a formal implementation blueprint",
        "Een implementatieplan opstellen",
        E,
        "Leg doelen, stappen, taken, planning en meetmomenten van de invoering vast in één plan.",
    ),
    Strategy(
        24,
        "Develop academic partnerships",
        "Samenwerken met kennisinstellingen",
        R,
        "Werk samen met een hogeschool of universiteit voor kennis over de aanpak en de invoering.",
    ),
    Strategy(
        25,
        "Develop an implementation glossary",
        "Een begrippenlijst maken",
        R,
        "Maak een lijst met de belangrijkste begrippen zodat iedereen dezelfde taal spreekt.",
    ),
    Strategy(
        26,
        "Develop and implement tools for quality monitoring",
        "Instrumenten voor kwaliteitsbewaking maken",
        E,
        "Ontwikkel eenvoudige hulpmiddelen, zoals een checklist, om de kwaliteit van de uitvoering te volgen.",
    ),
    Strategy(
        27,
        "Develop and organize quality monitoring systems",
        "Kwaliteitsbewaking organiseren",
        E,
        "Richt een vaste manier in om kwaliteit en uitkomsten te verzamelen en te bespreken.",
    ),
    Strategy(
        28,
        "Develop disincentives",
        "Ontmoedigende prikkels invoeren",
        F,
        "Maak het oude werken minder aantrekkelijk, bijvoorbeeld door het niet langer te vergoeden.",
    ),
    Strategy(
        29,
        "Develop educational materials",
        "Lesmateriaal ontwikkelen",
        T,
        "Maak handleidingen, werkkaarten en ander materiaal waarmee professionals de aanpak leren.",
    ),
    Strategy(
        30,
        "Develop resource sharing agreements",
        "Afspraken maken over gedeelde middelen",
        S,
        "Spreek met partners af welke mensen, ruimte of middelen zij voor de invoering delen.",
    ),
    Strategy(
        31,
        "Distribute educational materials",
        "Lesmateriaal verspreiden",
        T,
        "Zorg dat handleidingen en ander materiaal bij alle betrokkenen terechtkomen, op papier of online.",
    ),
    Strategy(
        32,
        "Facilitate relay of clinical data to providers",
        "Gegevens tijdig bij professionals brengen",
        S,
        "Zorg dat uitvoerders snel de gegevens krijgen die ze nodig hebben om hun werk bij te sturen.",
    ),
    Strategy(
        33,
        "Facilitation",
        "Procesbegeleiding",
        I,
        "Laat iemand het team helpen problemen op te lossen en samen de volgende stap te zetten.",
    ),
    Strategy(
        34,
        "Fund and contract for the clinical innovation",
        "De aanpak financieren en inkopen",
        F,
        "Laat de financier of opdrachtgever de nieuwe aanpak opnemen in subsidie, contract of inkoop.",
    ),
    Strategy(
        35,
        "Identify and prepare champions",
        "Aanjagers vinden en toerusten",
        R,
        "Zoek mensen die zich voor de invoering willen inzetten en help hen om collega's mee te krijgen.",
    ),
    Strategy(
        36,
        "Identify early adopters",
        "Voorlopers vinden",
        R,
        "Zoek wie als eerste met de aanpak werkt, zodat anderen van hun ervaring kunnen leren.",
    ),
    Strategy(
        37,
        "Increase demand",
        "De vraag vergroten",
        C,
        "Maak inwoners en verwijzers bekend met de aanpak zodat zij er zelf om vragen.",
    ),
    Strategy(
        38,
        "Inform local opinion leaders",
        "Lokale meningsvormers betrekken",
        R,
        "Informeer mensen naar wie collega's luisteren, zodat zij de aanpak kunnen uitdragen.",
    ),
    Strategy(
        39,
        "Intervene with patients/consumers to enhance uptake and adherence",
        "Deelnemers helpen meedoen en volhouden",
        C,
        "Help inwoners om mee te doen aan de aanpak en om vol te houden.",
    ),
    Strategy(
        40,
        "Involve executive boards",
        "Bestuur en directie betrekken",
        R,
        "Betrek bestuurders en directie, zodat zij de invoering steunen en bewaken.",
    ),
    Strategy(
        41,
        "Involve patients/consumers and family members",
        "Inwoners en hun naasten betrekken",
        C,
        "Laat inwoners en hun familie meedenken over de aanpak en de invoering.",
    ),
    Strategy(
        42,
        "Make billing easier",
        "Declareren vereenvoudigen",
        F,
        "Maak het makkelijker om de nieuwe werkwijze te declareren of te verantwoorden.",
    ),
    Strategy(
        43,
        "Make training dynamic",
        "Training afwisselend maken",
        T,
        "Gebruik verschillende werkvormen en laat deelnemers oefenen, zodat de training beter beklijft.",
    ),
    Strategy(
        44,
        "Mandate change",
        "De verandering verplicht stellen",
        N,
        "Laat de leiding of opdrachtgever vastleggen dat de nieuwe werkwijze de norm is.",
    ),
    Strategy(
        45,
        "Model and simulate change",
        "De verandering voordoen en oefenen",
        R,
        "Laat de nieuwe werkwijze zien of speel haar na, zodat mensen ervaren hoe die werkt.",
    ),
    Strategy(
        46,
        "Obtain and use patients/consumers and family feedback",
        "Feedback van inwoners gebruiken",
        E,
        "Vraag inwoners en hun naasten hoe zij de aanpak ervaren en gebruik dat om bij te sturen.",
    ),
    Strategy(
        47,
        "Obtain formal commitments",
        "Formele toezeggingen vastleggen",
        R,
        "Leg schriftelijk vast wat partners en teams bijdragen aan de invoering.",
    ),
    Strategy(
        48,
        "Organize clinician implementation team meetings",
        "Teamoverleg over de invoering",
        R,
        "Plan vaste momenten waarop uitvoerders bespreken hoe de invoering gaat en wat ze leren.",
    ),
    Strategy(
        49,
        "Place innovation on fee for service lists/formularies",
        "De aanpak op de lijst van vergoede diensten zetten",
        F,
        "Zorg dat de aanpak staat op de lijsten waaruit diensten worden vergoed of ingekocht.",
    ),
    Strategy(
        50,
        "Prepare patients/consumers to be active participants",
        "Inwoners voorbereiden op een actieve rol",
        C,
        "Help inwoners om vragen te stellen en zelf mee te beslissen over de ondersteuning.",
    ),
    Strategy(
        51,
        "Promote adaptability",
        "Aanpasbaarheid bevorderen",
        A,
        "Maak duidelijk wat aan de aanpak kan worden aangepast aan de plaatselijke situatie en wat de kern is.",
    ),
    Strategy(
        52,
        "Promote network weaving",
        "Netwerken versterken",
        R,
        "Verbind mensen en teams binnen en buiten de organisatie, zodat informatie en hulp makkelijk stromen.",
    ),
    Strategy(
        53,
        "Provide clinical supervision",
        "Werkbegeleiding bieden",
        I,
        "Geef uitvoerders doorlopende begeleiding bij het toepassen van de aanpak in hun eigen werk.",
    ),
    Strategy(
        54,
        "Provide local technical assistance",
        "Praktische hulp ter plaatse",
        I,
        "Help teams op hun eigen locatie met praktische problemen bij de invoering.",
    ),
    Strategy(
        55,
        "Provide ongoing consultation",
        "Doorlopend advies bieden",
        T,
        "Bied na de training een vaste vraagbaak voor professionals die de aanpak toepassen.",
    ),
    Strategy(
        56,
        "Purposely reexamine the implementation",
        "De invoering bewust opnieuw bekijken",
        E,
        "Kijk op vaste momenten kritisch naar hoe de invoering verloopt en stel het plan bij.",
    ),
    Strategy(
        57,
        "Recruit, designate, and train for leadership",
        "Leiders werven en opleiden",
        R,
        "Wijs mensen aan die de invoering leiden en geef hen de vaardigheden die daarbij horen.",
    ),
    Strategy(
        58,
        "Remind clinicians",
        "Professionals herinneren",
        S,
        "Help uitvoerders met geheugensteuntjes op het juiste moment, bijvoorbeeld in het registratiesysteem.",
    ),
    Strategy(
        59,
        "Revise professional roles",
        "Taken en rollen herverdelen",
        S,
        "Verdeel taken tussen functies opnieuw zodat de nieuwe werkwijze in het werk past.",
    ),
    Strategy(
        60,
        "Shadow other experts",
        "Meelopen met ervaren collega's",
        T,
        "Laat professionals meelopen met mensen die al met de aanpak werken.",
    ),
    Strategy(
        61,
        "Stage implementation scale up",
        "Gefaseerd opschalen",
        E,
        "Begin op een paar plekken en breid stap voor stap uit met wat daar geleerd is.",
    ),
    Strategy(
        62,
        "Start a dissemination organization",
        "Een verspreidingsorganisatie oprichten",
        N,
        "Richt een organisatie op die de aanpak verspreidt en anderen bij de invoering helpt.",
    ),
    Strategy(
        63,
        "Tailor strategies",
        "Strategieën op maat maken",
        A,
        "Kies en pas de invoeringsstrategieën aan op de drempels die in deze situatie spelen.",
    ),
    Strategy(
        64,
        "Use advisory boards and workgroups",
        "Adviesraden en werkgroepen inzetten",
        R,
        "Laat een groep betrokkenen, ook inwoners, meedenken en adviseren over de invoering.",
    ),
    Strategy(
        65,
        "Use an implementation advisor",
        "Een implementatieadviseur inzetten",
        R,
        "Haal iemand met ervaring in invoeren erbij die het team adviseert.",
    ),
    Strategy(
        66,
        "Use capitated payments",
        "Vaste bedragen per deelnemer",
        F,
        "Betaal een vast bedrag per inwoner of deelnemer in plaats van per verrichting.",
    ),
    Strategy(
        67,
        "Use data experts",
        "Datadeskundigen inzetten",
        A,
        "Laat deskundigen helpen met het verzamelen, ordenen en lezen van gegevens over de invoering.",
    ),
    Strategy(
        68,
        "Use data warehousing techniques",
        "Gegevens centraal bundelen",
        A,
        "Breng gegevens uit verschillende bronnen samen zodat voortgang en uitkomsten te volgen zijn.",
    ),
    Strategy(
        69,
        "Use mass media",
        "Media inzetten",
        C,
        "Bereik inwoners en professionals via krant, radio, sociale media of de gemeentelijke kanalen.",
    ),
    Strategy(
        70,
        "Use other payment schemes",
        "Andere betaalvormen gebruiken",
        F,
        "Probeer andere manieren van betalen die de nieuwe werkwijze ondersteunen.",
    ),
    Strategy(
        71,
        "Use train-the-trainer strategies",
        "Trainers opleiden",
        T,
        "Leid mensen op die daarna zelf collega's trainen.",
    ),
    Strategy(72, "Visit other sites", "Op bezoek gaan", R, "Ga kijken bij een organisatie die de aanpak al toepast."),
    Strategy(
        73,
        "Work with educational institutions",
        "Samenwerken met opleidingen",
        T,
        "Werk met opleidingen zodat nieuwe professionals de aanpak al tijdens hun studie leren.",
    ),
)

BY_CODE: dict[str, Strategy] = {s.code: s for s in STRATEGIES}
BY_NAME: dict[str, Strategy] = {s.name: s for s in STRATEGIES}
STRATEGY_CODES: tuple[str, ...] = tuple(BY_CODE)

# Spellings in the published tables that differ from the compilation's names.
_ALIASES = {
    "Conduct a local needs assessment": "Conduct local needs assessment",
    "Use an implementation adviser": "Use an implementation advisor",
    "Use train the trainer strategies": "Use train-the-trainer strategies",
    "Fund and contract for clinical innovation": "Fund and contract for the clinical innovation",
    "Intervene with patients/consumers to enhance uptake & adherence": "Intervene with patients/consumers to enhance uptake and adherence",
}


def strategy_named(name: str) -> Strategy:
    return BY_NAME[_ALIASES.get(name, name)]


# --- The matches of Waltz et al. 2019 ------------------------------------------------------------------

PUBLISHED_LEVEL1_TOTAL = 33  # Waltz 2019, results; cfirguide.org: "Level 1 endorsements ... comprised 33 combinations"
PUBLISHED_LEVEL2_TOTAL = 332  # cfirguide.org summary of the same paper: "Level 2 strategies (n=332)"
BARRIER_COUNT = 39

# The study's barriers (Waltz 2019, table 2) with the 2009 construct code the product files them under.
BARRIERS: dict[str, str] = {
    "Intervention source": "I.A",
    "Evidence strength and quality": "I.B",
    "Relative advantage": "I.C",
    "Adaptability": "I.D",
    "Trialability": "I.E",
    "Complexity": "I.F",
    "Design quality and packaging": "I.G",
    "Cost": "I.H",
    "Patient needs and resources": "II.A",
    "Cosmopolitanism": "II.B",
    "Peer pressure": "II.C",
    "External policy and incentives": "II.D",
    "Structural characteristics": "III.A",
    "Networks and communications": "III.B",
    "Culture": "III.C",
    "Implementation climate": "III.D",
    "Tension for change": "III.D.1",
    "Compatibility": "III.D.2",
    "Relative priority": "III.D.3",
    "Organizational incentives and rewards": "III.D.4",
    "Goals and feedback": "III.D.5",
    "Learning climate": "III.D.6",
    "Readiness for implementation": "III.E",
    "Leadership engagement": "III.E.1",
    "Available resources": "III.E.2",
    "Access to knowledge and information": "III.E.3",
    "Knowledge and beliefs about the intervention": "IV.A",
    "Self-efficacy": "IV.B",
    "Individual stage of change": "IV.C",
    "Individual identification with organization": "IV.D",
    "Planning": "V.A",
    "Opinion leaders": "V.B.1",
    "Formally appointed internal implementation leaders": "V.B.2",
    "Champions": "V.B.3",
    "External change agents": "V.B.4",
    "Key stakeholders": "V.B",
    "Patients/consumers": "V.B",
    "Executing": "V.C",
    "Reflecting and evaluating": "V.D",
}

# Table 2 of Waltz 2019: (level 1, level 2) strategies per barrier, for the rows read from the published table.
PUBLISHED_COUNTS: dict[str, tuple[int, int]] = {
    "Intervention source": (0, 9),
    "Evidence strength and quality": (0, 10),
    "Relative advantage": (0, 11),
    "Adaptability": (1, 10),
    "Trialability": (0, 10),
    "Complexity": (0, 15),
    "Design quality and packaging": (0, 7),
    "Cost": (1, 9),
    "Patient needs and resources": (3, 5),
    "Cosmopolitanism": (3, 7),
    "Peer pressure": (0, 8),
    "Reflecting and evaluating": (2, 8),  # table 1 lists every strategy for this barrier
}

SOURCES = {
    "waltz2019-t1": "Waltz et al. 2019, Implementation Science 14:42, table 1",
    "waltz2019-t5": "Waltz et al. 2019, Implementation Science 14:42, table 5",
    "isc2023-t3": "Implementation Science Communications 4:144 (2023), table 3 (from the CFIR–ERIC Matching Tool)",
}

# Table 1 of Waltz 2019: every strategy endorsed at level 1 or 2 for Reflecting and evaluating (n = 25).
_TABLE1 = {
    "Develop and implement tools for quality monitoring": 60,
    "Audit and provide feedback": 56,
    "Develop and organize quality monitoring systems": 40,
    "Facilitate relay of clinical data to providers": 36,
    "Obtain and use patients/consumers and family feedback": 28,
    "Organize clinician implementation team meetings": 28,
    "Purposely reexamine the implementation": 28,
    "Use data experts": 28,
    "Capture and share local knowledge": 24,
    "Facilitation": 20,
}

# Table 5 of Waltz 2019 (case example), the rows read: percentage per barrier column.
_TABLE5_COLUMNS = (
    "Structural characteristics",
    "Networks and communications",
    "Compatibility",
    "Organizational incentives and rewards",
    "Planning",
    "Formally appointed internal implementation leaders",
    "Key stakeholders",
)
_TABLE5 = {
    "Identify and prepare champions": (27, 17, 21, 25, 31, 64, 63),
    "Assess for readiness and identify barriers and facilitators": (36, 13, 34, 13, 42, 29, 38),
    "Develop a formal implementation blueprint": (18, 13, 3, 8, 73, 46, 8),
    "Conduct local consensus discussions": (14, 22, 41, 8, 23, 14, 42),
    "Build a coalition": (27, 39, 21, 17, 4, 11, 25),
    "Conduct local needs assessment": (18, 9, 21, 8, 50, 11, 21),
    "Alter incentive/allowance structures": (18, 0, 10, 71, 12, 7, 17),
    "Create a learning collaborative": (18, 35, 14, 13, 8, 14, 33),
    "Organize clinician implementation team meetings": (14, 52, 14, 8, 15, 21, 4),
    "Facilitation": (9, 26, 24, 4, 23, 21, 17),
    "Recruit, designate, and train for leadership": (18, 17, 0, 21, 12, 39, 13),
    "Inform local opinion leaders": (14, 22, 3, 17, 0, 29, 29),
    "Identify early adopters": (23, 17, 10, 13, 12, 25, 13),
    "Promote network weaving": (23, 57, 0, 8, 4, 7, 13),
    "Tailor strategies": (18, 4, 38, 17, 12, 0, 17),
    "Capture and share local knowledge": (23, 26, 14, 8, 15, 4, 13),
    "Conduct cyclical small tests of change": (23, 9, 38, 13, 12, 0, 8),
    "Promote adaptability": (23, 0, 45, 4, 0, 0, 17),
    "Use advisory boards and workgroups": (5, 13, 3, 4, 15, 21, 25),
    "Involve executive boards": (14, 9, 3, 13, 0, 18, 25),
    "Use an implementation adviser": (5, 9, 10, 0, 15, 29, 4),
    "Develop and implement tools for quality monitoring": (5, 0, 3, 21, 31, 7, 4),
    "Access new funding": (5, 4, 3, 38, 8, 7, 4),
    "Centralize technical assistance": (5, 26, 10, 0, 12, 11, 4),
    "Obtain formal commitments": (9, 9, 0, 13, 4, 29, 4),
    "Provide local technical assistance": (18, 9, 14, 0, 15, 4, 4),
    "Purposely reexamine the implementation": (0, 4, 28, 4, 15, 4, 8),
    "Revise professional roles": (18, 0, 10, 13, 0, 18, 0),
}

# Table 3 of Implementation Science Communications 4:144 (2023), the rows read.
_ISC_COLUMNS = ("Adaptability", "Complexity", "Patient needs and resources", "Compatibility", "Self-efficacy")
_ISC = {
    "Promote adaptability": (73, 40, 14, 45, 11),
    "Tailor strategies": (35, 27, 14, 38, 11),
    "Identify and prepare champions": (23, 30, 5, 21, 30),
    "Conduct local consensus discussions": (31, 7, 29, 41, 0),
    "Capture and share local knowledge": (35, 27, 10, 14, 19),
    "Model and simulate change": (19, 27, 0, 3, 33),
    "Identify early adopters": (27, 20, 0, 10, 19),
    "Organize clinician implementation team meetings": (8, 20, 0, 14, 11),
    "Build a coalition": (15, 0, 14, 21, 0),
    "Visit other sites": (19, 3, 0, 10, 15),
    "Use advisory boards and workgroups": (4, 0, 29, 3, 7),
    "Use an implementation adviser": (8, 10, 5, 10, 7),
    "Inform local opinion leaders": (15, 13, 0, 3, 4),
    "Involve patients/consumers and family members": (8, 0, 71, 10, 4),
    "Prepare patients/consumers to be active participants": (0, 0, 48, 3, 0),
    "Intervene with patients/consumers to enhance uptake & adherence": (8, 3, 24, 3, 0),
    "Facilitation": (27, 20, 0, 24, 22),
    "Provide local technical assistance": (4, 17, 5, 14, 22),
    "Provide clinical supervision": (0, 7, 5, 10, 11),
    "Centralize technical assistance": (0, 10, 0, 10, 11),
    "Facilitate relay of clinical data to providers": (4, 3, 10, 3, 7),
    "Create new clinical teams": (0, 3, 10, 7, 7),
}

# Barriers whose every level-1 and level-2 strategy is in this module (table 1 lists them all).
COMPLETE = frozenset({"Reflecting and evaluating"})


@dataclass(frozen=True)
class Match:
    barrier: str  # the study's barrier name
    construct: str  # the 2009 construct code the product files the barrier under
    strategy: Strategy
    percent: int  # share of the experts who answered for this barrier and chose the strategy
    source: str  # key of SOURCES

    @property
    def level(self) -> int:
        return 1 if self.percent >= 50 else 2


def _level(percent: int) -> int | None:
    return 1 if percent >= 50 else 2 if percent >= 20 else None


def _build() -> tuple[Match, ...]:
    found: dict[tuple[str, str], Match] = {}

    def add(barrier: str, name: str, percent: int, source: str) -> None:
        if _level(percent) is None:
            return
        strategy = strategy_named(name)
        # The primary source wins where two sources give the same pair.
        found.setdefault((barrier, strategy.code), Match(barrier, BARRIERS[barrier], strategy, percent, source))

    for name, percent in _TABLE1.items():
        add("Reflecting and evaluating", name, percent, "waltz2019-t1")
    for name, row in _TABLE5.items():
        for barrier, percent in zip(_TABLE5_COLUMNS, row, strict=True):
            add(barrier, name, percent, "waltz2019-t5")
    for name, row in _ISC.items():
        for barrier, percent in zip(_ISC_COLUMNS, row, strict=True):
            add(barrier, name, percent, "isc2023-t3")
    return tuple(sorted(found.values(), key=lambda m: (m.barrier, -m.percent, m.strategy.number)))


MATCHES: tuple[Match, ...] = _build()


def matches_for_2009(code: str) -> list[Match]:
    """The verified matches for one 2009 construct: level 1 first, then level 2, each by percentage."""
    rows = [m for m in MATCHES if m.construct == code]
    return sorted(rows, key=lambda m: (m.level, -m.percent, m.strategy.number))


# --- From the updated CFIR (2022) to the 2009 constructs -------------------------------------------------

# After Additional File 4 of Damschroder et al. 2022 (Implementation Science 17:75), "Original CFIR (2009) to
# Updated CFIR (2022): Construct Mapping". Each updated construct names the 2009 construct(s) it continues;
# an empty tuple means the construct is new in 2022 (no 2009 barrier, so no expert match exists for it).
MAPPING_2022_TO_2009: dict[str, tuple[str, ...]] = {
    "I.A": ("I.A",),
    "I.B": ("I.B",),
    "I.C": ("I.C",),
    "I.D": ("I.D",),
    "I.E": ("I.E",),
    "I.F": ("I.F",),
    "I.G": ("I.G",),
    "I.H": ("I.H",),
    "II.A": (),
    "II.B": (),
    "II.C": (),
    "II.D": ("II.B",),
    "II.E": ("II.D",),
    "II.F": ("II.D",),
    "II.G": ("II.C",),
    "II.G.1": (),
    "II.G.2": ("II.C",),
    "II.G.3": ("II.D",),
    "III.A": ("III.A",),
    "III.A.1": ("III.A",),
    "III.A.2": ("III.A",),
    "III.A.3": ("III.A",),
    "III.B": ("III.B",),
    "III.C": ("III.B",),
    "III.D": ("III.C",),
    "III.D.1": (),
    "III.D.2": ("II.A",),
    "III.D.3": (),
    "III.D.4": ("III.D.6",),
    "III.E": ("III.D.1",),
    "III.F": ("III.D.2",),
    "III.G": ("III.D.3",),
    "III.H": ("III.D.4",),
    "III.I": ("III.D.5",),
    "III.J": ("III.E.2",),
    "III.J.1": ("III.E.2",),
    "III.J.2": ("III.E.2",),
    "III.J.3": ("III.E.2",),
    "III.K": ("III.E.3",),
    "IV.A": ("III.E.1",),
    "IV.B": ("III.E.1",),
    "IV.C": ("V.B.1",),
    "IV.D": ("V.B.4",),
    "IV.E": ("V.B.2",),
    "IV.F": (),
    "IV.G": ("V.B.3",),
    "IV.H": (),
    "IV.I": (),
    "IV.J": (),
    "IV.K": ("IV.A", "IV.B"),
    "IV.L": (),
    "IV.M": ("IV.C",),
    "V.A": (),
    "V.B": ("II.A",),
    "V.B.1": (),
    "V.B.2": ("II.A",),
    "V.C": (),
    "V.D": ("V.A",),
    "V.E": (),
    "V.F": ("V.B",),
    "V.F.1": ("V.B",),
    "V.F.2": ("V.B",),
    "V.G": ("V.C",),
    "V.H": ("V.D",),
    "V.H.1": ("V.D",),
    "V.H.2": ("V.D",),
    "V.I": (),
}


def suggestions(version: str, code: str) -> list[Match]:
    """The verified expert matches for a barrier on ``code`` in an analysis of ``version`` ("2009" or "2022").

    A 2022 construct reaches the matches through the 2009 construct(s) it continues; a strategy suggested
    through two of them keeps its highest percentage.
    """
    codes = (code,) if version == "2009" else MAPPING_2022_TO_2009.get(code, ())
    best: dict[str, Match] = {}
    for old in codes:
        for match in matches_for_2009(old):
            kept = best.get(match.strategy.code)
            if kept is None or match.percent > kept.percent:
                best[match.strategy.code] = match
    return sorted(best.values(), key=lambda m: (m.level, -m.percent, m.strategy.number))
