# ruff: noqa: E501  (one construct per line: its code, names and description)
"""The updated CFIR (2022): five domains, 48 constructs and 19 subconstructs.

Source: Damschroder, Reardon, Opra Widerquist & Lowery (2022), Implementation Science 17:75: the paper's
construct tables per domain and its Additional File 6, which cfirguide.org reproduces as "Updated CFIR
Constructs". Counted from those tables: I Innovation 8 constructs; II Outer Setting 7 constructs, 3 subconstructs (External Pressure);
III Inner Setting 11 constructs, 10 subconstructs (Structural Characteristics 3, Culture 4, Available
Resources 3); IV Individuals 13 constructs (Roles 9, Characteristics 4); V Implementation Process
9 constructs, 6 subconstructs (Assessing Needs 2, Engaging 2, Reflecting & Evaluating 2). 48 + 19.

The English names are the framework's; the Dutch names and descriptions are the product's own wording,
written for the social domain (an "innovation" may be a city service, "recipients" are residents). The
framework's English definitions are not reproduced.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import Construct, Domain, Framework

CITATION = (
    "Damschroder, L.J., Reardon, C.M., Opra Widerquist, M.A. & Lowery, J. (2022). The updated Consolidated "
    "Framework for Implementation Research based on user feedback. Implementation Science, 17, 75."
)

ROLES = "Rollen"
CHARACTERISTICS = "Kenmerken"


def _c(code, name, nl_name, nl_description, group=""):
    return Construct(code, name, nl_name, nl_description, group=group)


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "I",
        "Innovation",
        "Innovatie",
        _("what is being introduced, for example a working method or a municipal service"),
        (
            _c(
                "I.A",
                "Innovation Source",
                "Herkomst",
                "Hoe betrouwbaar en gezaghebbend de groep is die de innovatie heeft ontwikkeld of het gebruik ervan zichtbaar steunt.",
            ),
            _c("I.B", "Innovation Evidence-Base", "Onderbouwing", "Hoe sterk het bewijs is dat de innovatie werkt."),
            _c(
                "I.C",
                "Innovation Relative Advantage",
                "Relatief voordeel",
                "Of de innovatie beter is dan wat er nu gebeurt of dan andere beschikbare aanpakken.",
            ),
            _c(
                "I.D",
                "Innovation Adaptability",
                "Aanpasbaarheid",
                "Of de innovatie kan worden aangepast aan de plaatselijke situatie en behoeften.",
            ),
            _c(
                "I.E",
                "Innovation Trialability",
                "Uitprobeerbaarheid",
                "Of de innovatie eerst kleinschalig kan worden geprobeerd en weer teruggedraaid.",
            ),
            _c(
                "I.F",
                "Innovation Complexity",
                "Complexiteit",
                "Hoe ingewikkeld de innovatie is: hoe breed, met hoeveel stappen en verbindingen.",
            ),
            _c(
                "I.G",
                "Innovation Design",
                "Vormgeving",
                "Hoe goed de innovatie is ontworpen, samengesteld en gepresenteerd.",
            ),
            _c(
                "I.H",
                "Innovation Cost",
                "Kosten",
                "Of de aanschaf- en uitvoeringskosten van de innovatie op te brengen zijn.",
            ),
        ),
    ),
    Domain(
        "II",
        "Outer Setting",
        "Externe context",
        _("the world around the receiving organisation: municipality, region, national rules"),
        (
            _c(
                "II.A",
                "Critical Incidents",
                "Ingrijpende gebeurtenissen",
                "Grote of onverwachte gebeurtenissen, zoals een crisis of bezuiniging, die de invoering of uitvoering verstoren.",
            ),
            _c(
                "II.B",
                "Local Attitudes",
                "Houding in de omgeving",
                "Of de waarden en opvattingen in de omgeving, bijvoorbeeld over gedeelde zorg voor inwoners, steun voor de invoering aanmoedigen.",
            ),
            _c(
                "II.C",
                "Local Conditions",
                "Omstandigheden in de omgeving",
                "Of de economische, politieke, fysieke en technologische omstandigheden steun voor de invoering mogelijk maken.",
            ),
            _c(
                "II.D",
                "Partnerships & Connections",
                "Samenwerking en netwerken",
                "Hoe de organisatie verbonden is met andere partijen: verwijsnetwerken, kennisinstellingen, beroepsverenigingen.",
            ),
            _c(
                "II.E",
                "Policies & Laws",
                "Beleid en wetgeving",
                "Of wetten, regels, richtlijnen en beleid de invoering en uitvoering ondersteunen.",
            ),
            _c(
                "II.F",
                "Financing",
                "Financiering",
                "Of er geld van buiten is, zoals subsidie, inkoop of vergoeding, voor invoering en uitvoering.",
            ),
            _c(
                "II.G",
                "External Pressure",
                "Druk van buitenaf",
                "Of druk van buiten de organisatie de invoering aanjaagt (voor wat niet onder de deelconstructen valt).",
            ),
            _c(
                "II.G.1",
                "Societal Pressure",
                "Maatschappelijke druk",
                "Of maatschappelijke bewegingen, media of belangengroepen aandringen op de invoering.",
            ),
            _c(
                "II.G.2",
                "Market Pressure",
                "Druk door vergelijkbare organisaties",
                "Of wat concurrenten of buurgemeenten al doen aanzet tot invoering.",
            ),
            _c(
                "II.G.3",
                "Performance-Measurement Pressure",
                "Druk van prestatiemetingen",
                "Of externe kwaliteits- of prestatiemetingen, zoals verantwoording aan financiers, de invoering aanjagen.",
            ),
        ),
    ),
    Domain(
        "III",
        "Inner Setting",
        "Interne context",
        _("the organisation or team where the innovation is introduced"),
        (
            _c(
                "III.A",
                "Structural Characteristics",
                "Structurele kenmerken",
                "Of de infrastructuur van de organisatie het werk ondersteunt (voor wat niet onder de deelconstructen valt).",
            ),
            _c(
                "III.A.1",
                "Physical Infrastructure",
                "Fysieke infrastructuur",
                "Of de gebouwen, ruimtes en hun indeling het werk ondersteunen.",
            ),
            _c(
                "III.A.2",
                "Information Technology Infrastructure",
                "ICT-infrastructuur",
                "Of de systemen voor communicatie, registratie en gegevens het werk ondersteunen.",
            ),
            _c(
                "III.A.3",
                "Work Infrastructure",
                "Werkorganisatie",
                "Of de verdeling van taken en verantwoordelijkheden en de bezetting het werk ondersteunen.",
            ),
            _c(
                "III.B",
                "Relational Connections",
                "Onderlinge relaties",
                "Of er binnen en tussen teams relaties en netwerken zijn, formeel en informeel, waarop men kan bouwen.",
            ),
            _c(
                "III.C",
                "Communications",
                "Communicatie",
                "Of er binnen en tussen teams goed wordt gecommuniceerd, formeel en informeel.",
            ),
            _c(
                "III.D",
                "Culture",
                "Cultuur",
                "Of gedeelde waarden, opvattingen en normen de invoering steunen (voor wat niet onder de deelconstructen valt).",
            ),
            _c(
                "III.D.1",
                "Human Equality-Centeredness",
                "Gelijkwaardigheid voorop",
                "Of de organisatie de gelijkwaardigheid, waardigheid en verscheidenheid van alle mensen vooropstelt.",
            ),
            _c(
                "III.D.2",
                "Recipient-Centeredness",
                "Ontvangers voorop",
                "Of de organisatie de behoeften en het welzijn van de mensen voor wie de innovatie is centraal stelt.",
            ),
            _c(
                "III.D.3",
                "Deliverer-Centeredness",
                "Uitvoerders voorop",
                "Of de organisatie zorgt voor het welzijn en de ontwikkeling van de mensen die de innovatie uitvoeren.",
            ),
            _c(
                "III.D.4",
                "Learning-Centeredness",
                "Lerende cultuur",
                "Of mensen zich veilig voelen om te proberen, te leren en fouten te bespreken.",
            ),
            _c(
                "III.E",
                "Tension for Change",
                "Urgentie voor verandering",
                "Of men de huidige situatie onhoudbaar vindt en verandering nodig acht.",
            ),
            _c(
                "III.F",
                "Compatibility",
                "Verenigbaarheid",
                "Of de innovatie past bij de werkprocessen, systemen en waarden van de organisatie.",
            ),
            _c(
                "III.G",
                "Relative Priority",
                "Relatieve prioriteit",
                "Of de invoering belangrijk wordt gevonden naast ander lopend werk.",
            ),
            _c(
                "III.H",
                "Incentive Systems",
                "Erkenning en beloning",
                "Of de organisatie erkenning, beloning of loopbaankansen verbindt aan de invoering en uitvoering.",
            ),
            _c(
                "III.I",
                "Mission Alignment",
                "Aansluiting bij de missie",
                "Of de invoering past bij de missie en de doelen van de organisatie.",
            ),
            _c(
                "III.J",
                "Available Resources",
                "Beschikbare middelen",
                "Of er middelen zijn voor invoering en uitvoering (voor wat niet onder de deelconstructen valt).",
            ),
            _c("III.J.1", "Funding", "Budget", "Of er geld is voor invoering en uitvoering."),
            _c(
                "III.J.2",
                "Space",
                "Ruimte",
                "Of er plek is, bijvoorbeeld spreekkamers of een zaal voor groepsbijeenkomsten.",
            ),
            _c(
                "III.J.3",
                "Materials & Equipment",
                "Materialen en uitrusting",
                "Of de benodigde materialen en apparatuur er zijn.",
            ),
            _c(
                "III.K",
                "Access to Knowledge & Information",
                "Toegang tot kennis en informatie",
                "Of men begeleiding, training en informatie over de innovatie kan krijgen.",
            ),
        ),
    ),
    Domain(
        "IV",
        "Individuals",
        "Betrokkenen",
        _("the roles of the people involved, and whether they can and will take them up"),
        (
            _c(
                "IV.A",
                "High-Level Leaders",
                "Hoogste leiding",
                "Mensen met veel gezag, zoals bestuurders, directeuren of een wethouder.",
                ROLES,
            ),
            _c(
                "IV.B",
                "Mid-Level Leaders",
                "Middenmanagement",
                "Leidinggevenden van een team of afdeling, zoals lijnmanagers.",
                ROLES,
            ),
            _c(
                "IV.C",
                "Opinion Leaders",
                "Opiniemakers",
                "Mensen die door hun positie of deskundigheid de houding en het gedrag van anderen beïnvloeden.",
                ROLES,
            ),
            _c(
                "IV.D",
                "Implementation Facilitators",
                "Implementatiebegeleiders",
                "Deskundigen die de invoering begeleiden, vaak van buiten de organisatie.",
                ROLES,
            ),
            _c(
                "IV.E",
                "Implementation Leads",
                "Trekkers van de invoering",
                "Mensen die de invoering aansturen, zoals de projectleider.",
                ROLES,
            ),
            _c(
                "IV.F",
                "Implementation Team Members",
                "Leden van het implementatieteam",
                "Mensen die samen met de trekkers de invoering uitvoeren.",
                ROLES,
            ),
            _c(
                "IV.G",
                "Other Implementation Support",
                "Overige ondersteuning",
                "Anderen die de invoering ondersteunen, bijvoorbeeld met administratie of ICT.",
                ROLES,
            ),
            _c(
                "IV.H",
                "Innovation Deliverers",
                "Uitvoerders",
                "De professionals en vrijwilligers die de innovatie direct of indirect uitvoeren.",
                ROLES,
            ),
            _c(
                "IV.I",
                "Innovation Recipients",
                "Ontvangers",
                "De mensen voor wie de innovatie bedoeld is, zoals inwoners of deelnemers.",
                ROLES,
            ),
            _c(
                "IV.J",
                "Need",
                "Behoefte",
                "Of de mensen in deze rollen een tekort of probleem ervaren dat de innovatie kan oplossen.",
                CHARACTERISTICS,
            ),
            _c(
                "IV.K",
                "Capability",
                "Bekwaamheid",
                "Of zij de kennis en vaardigheden hebben om hun rol te vervullen.",
                CHARACTERISTICS,
            ),
            _c(
                "IV.L",
                "Opportunity",
                "Gelegenheid",
                "Of zij de tijd, beschikbaarheid en ruimte hebben om hun rol te vervullen.",
                CHARACTERISTICS,
            ),
            _c(
                "IV.M",
                "Motivation",
                "Motivatie",
                "Of zij betrokken en bereid zijn om hun rol te vervullen.",
                CHARACTERISTICS,
            ),
        ),
    ),
    Domain(
        "V",
        "Implementation Process",
        "Invoeringsproces",
        _("the activities and strategies with which the innovation is introduced"),
        (
            _c(
                "V.A",
                "Teaming",
                "Samenwerken als team",
                "Of mensen samenwerken en hun rollen op elkaar afstemmen bij de invoering.",
            ),
            _c(
                "V.B",
                "Assessing Needs",
                "Behoeften verkennen",
                "Of de prioriteiten, voorkeuren en behoeften van betrokkenen in kaart worden gebracht (voor wat niet onder de deelconstructen valt).",
            ),
            _c(
                "V.B.1",
                "Innovation Deliverers",
                "Behoeften van uitvoerders",
                "Of in kaart wordt gebracht wat de uitvoerders nodig hebben en willen.",
            ),
            _c(
                "V.B.2",
                "Innovation Recipients",
                "Behoeften van ontvangers",
                "Of in kaart wordt gebracht wat de ontvangers nodig hebben en willen.",
            ),
            _c(
                "V.C",
                "Assessing Context",
                "Context verkennen",
                "Of belemmerende en bevorderende factoren voor invoering en uitvoering in kaart worden gebracht.",
            ),
            _c("V.D", "Planning", "Plannen", "Of vooraf rollen, taken, doelen en een tijdpad worden vastgelegd."),
            _c(
                "V.E",
                "Tailoring Strategies",
                "Strategieën op maat",
                "Of de aanpak van de invoering wordt afgestemd op de gevonden belemmeringen en bevorderende factoren.",
            ),
            _c(
                "V.F",
                "Engaging",
                "Betrekken",
                "Of mensen worden gewonnen voor en betrokken bij de invoering en uitvoering (voor wat niet onder de deelconstructen valt).",
            ),
            _c(
                "V.F.1",
                "Innovation Deliverers",
                "Uitvoerders betrekken",
                "Of de uitvoerders worden gewonnen en betrokken.",
            ),
            _c(
                "V.F.2",
                "Innovation Recipients",
                "Ontvangers betrekken",
                "Of de ontvangers worden gewonnen en betrokken.",
            ),
            _c(
                "V.G",
                "Doing",
                "Uitvoeren",
                "Of de invoering stap voor stap wordt uitgevoerd, met kleine proeven waarvan men leert.",
            ),
            _c(
                "V.H",
                "Reflecting & Evaluating",
                "Reflecteren en evalueren",
                "Of gegevens over de invoering en de innovatie worden verzameld, besproken en benut (voor wat niet onder de deelconstructen valt).",
            ),
            _c(
                "V.H.1",
                "Implementation",
                "Over de invoering",
                "Of gegevens over het verloop van de invoering worden verzameld en besproken.",
            ),
            _c(
                "V.H.2",
                "Innovation",
                "Over de innovatie",
                "Of gegevens over de werking en uitkomsten van de innovatie worden verzameld en besproken.",
            ),
            _c(
                "V.I",
                "Adapting",
                "Aanpassen",
                "Of de innovatie en de invoering worden aangepast zodat ze beter werken in de praktijk.",
            ),
        ),
    ),
)

FRAMEWORK = Framework(
    version="2022",
    title="CFIR (2022)",
    citation=CITATION,
    source_url="https://cfirguide.org/constructs/",
    counted_from="Damschroder et al. 2022, construct tables and Additional File 6 (cfirguide.org)",
    domains=DOMAINS,
)
