"""The Consolidated Framework for Implementation Research (CFIR), in both published versions.

One reference module per version: ``v2009`` (Damschroder et al. 2009, the list in figure 10 of the
handreiking) and ``v2022`` (the updated CFIR, Damschroder, Reardon, Opra Widerquist & Lowery 2022). Each
construct keeps the framework's English name (shown next to the Dutch one, marked ``lang="en"``) and has a
Dutch name and a short Dutch description written for this product in its own words.

A construct is addressed by its code within its version ("III.D.2": domain, construct letter, subconstruct
number). The same code means different constructs in the two versions, so a code is only meaningful
together with the version of the analysis it belongs to.

The rating scale and its rules are shared: valence (+/−) and strength (1/2), X for mixed, M for missing data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Construct:
    code: str  # "III.D.2": domain, construct letter, subconstruct number
    name: str  # the framework's own English name
    nl_name: str  # Dutch name, the product's own
    nl_description: str  # short Dutch description in the product's own words
    description: str = ""  # the framework's own English definition, where the product may quote it (2009)
    group: str = ""  # a subdomain within the domain (the updated CFIR's "Roles" and "Characteristics")

    @property
    def domain(self) -> str:
        return self.code.split(".")[0]

    @property
    def is_sub(self) -> bool:
        return self.code.count(".") == 2

    @property
    def label(self) -> str:
        """The construct's letter or number within its domain, as the framework's tables show it (``D``, ``D1``)."""
        return "".join(self.code.split(".")[1:])


@dataclass(frozen=True)
class Domain:
    code: str  # Roman numeral
    name: str  # the framework's own English name
    nl_name: str
    explanation: str  # the product's own short explanation (translatable)
    constructs: tuple[Construct, ...]

    @property
    def main_constructs(self) -> tuple[Construct, ...]:
        return tuple(c for c in self.constructs if not c.is_sub)

    @property
    def subconstructs(self) -> tuple[Construct, ...]:
        return tuple(c for c in self.constructs if c.is_sub)


@dataclass(frozen=True)
class Framework:
    version: str
    title: str
    citation: str
    source_url: str
    counted_from: str  # where the construct counts were checked
    domains: tuple[Domain, ...]
    notes: dict = field(default_factory=dict)

    @cached_property
    def constructs(self) -> dict[str, Construct]:
        return {c.code: c for d in self.domains for c in d.constructs}

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.constructs)


class CfirVersion(models.TextChoices):
    V2022 = "2022", _("Updated CFIR (2022)")
    V2009 = "2009", _("CFIR 2009 (figure 10 of the handreiking)")


def framework(version: str) -> Framework:
    from . import v2009, v2022  # noqa: PLC0415  (the reference modules import this one)

    return {CfirVersion.V2009: v2009.FRAMEWORK, CfirVersion.V2022: v2022.FRAMEWORK}[CfirVersion(version)]


def all_construct_codes() -> tuple[str, ...]:
    """Every code used by either version (for the database check on a rating's construct)."""
    return tuple(sorted({code for v in CfirVersion for code in framework(v).codes}))


# The rating scale CFIR users apply per construct: valence (+/−) and strength (1/2), or mixed, or missing data.
class Rating(models.TextChoices):
    PLUS_2 = "+2", "+2"
    PLUS_1 = "+1", "+1"
    ZERO = "0", "0"
    MINUS_1 = "-1", "−1"
    MINUS_2 = "-2", "−2"
    MIXED = "X", _("X (mixed)")
    MISSING = "M", _("M (missing data)")


RATINGS: tuple[tuple[str, str], ...] = tuple(Rating.choices)
RATING_VALUES = tuple(Rating.values)
NUMERIC = {"+2": 2, "+1": 1, "0": 0, "-1": -1, "-2": -2}
SHORT_LABEL = {"+2": "+2", "+1": "+1", "0": "0", "-1": "−1", "-2": "−2", "X": "X", "M": "M"}

# The rating rules, in the product's own words, after the CFIR rating guidelines (Damschroder & Lowery 2013,
# the rating criteria reused in many CFIR studies). Shown next to the rating form.
RATING_RULES: tuple[tuple[str, str], ...] = (
    (
        "+2",
        _("Clearly helps: several people give concrete examples of how this factor helps the implementation along."),
    ),
    (
        "+1",
        _("Helps somewhat: people say so in general terms without concrete examples, or the factor helps on balance."),
    ),
    (
        "0",
        _(
            "Neutral: the factor is described without any effect, or positive and negative influences cancel "
            "each other out."
        ),
    ),
    (
        "-1",
        _(
            "Hinders somewhat: people say so in general terms, or the factor hinders on balance, or a factor "
            "that is needed is weakly absent."
        ),
    ),
    (
        "-2",
        _(
            "Clearly hinders: several people give concrete examples of how this factor, or its absence, holds "
            "the implementation back. A needed factor that is missing (no champion, no budget) is rated here, "
            "not as M."
        ),
    ),
    (
        "X",
        _("Mixed: the factor helps in one place and hinders in another, and no overall direction can be given."),
    ),
    (
        "M",
        _(
            "Missing data: nobody was asked about it or there is too little information to rate it. M says "
            "nothing about the factor itself; it marks a gap in what the team knows."
        ),
    ),
)


def rating_label(value: str) -> str:
    """A rating as short text, with a real minus sign; "—" when the construct was not rated."""
    return SHORT_LABEL.get(value, "—")


def construct_label(version: str, code: str) -> str:
    """A construct's Dutch name for lists and exports, or the code itself when it is unknown."""
    construct = framework(version).constructs.get(code)
    return construct.nl_name if construct else code
