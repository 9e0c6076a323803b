"""Default stoplight checklists: per phase, what must work by the end of that phase.

Subphase 5b of the handreiking asks the core team to keep, for every phase, a short list of things
that have to be in order when the phase ends, and to check every two weeks whether each is still
green. These defaults are drawn from the subphases' goals and activities in ``fii.model`` and are
written in our own words. An organisation may replace them with its own template per phase; a
trajectory copies the template when the phase starts (``trajectories.services.checklists``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .model import Phase


@dataclass(frozen=True)
class DefaultItem:
    subphase: str
    text: Promise


DEFAULT_CHECKLISTS: dict[str, tuple[DefaultItem, ...]] = {
    Phase.SIGNALEREN: (
        DefaultItem("1a", _("We know who commissions the trajectory and where the question comes from.")),
        DefaultItem("1b", _("The innovation question, its goal and its target group are written down.")),
        DefaultItem("1b", _("We have explored the question behind the question with the commissioner.")),
        DefaultItem("1c", _("Budget, time, scale and staff capacity are agreed.")),
        DefaultItem("1c", _("The question is anchored in policy: a plan, targets or a legal basis.")),
        DefaultItem("1c", _("The question is realistic within its frame and ambitious enough.")),
    ),
    Phase.VERKENNEN: (
        DefaultItem("2a", _("There is a shortlist of two to four candidate organisations.")),
        DefaultItem("2a", _("Each candidate is weighed on culture, organisational frame and financing.")),
        DefaultItem("2b", _("We have talked with management and, where possible, executors of the candidates.")),
        DefaultItem("2b", _("The chosen organisation is ready to commit people, for example to the team.")),
        DefaultItem("2c", _("A joint plan of approach with a shared goal, roadmap and tasks is agreed.")),
        DefaultItem("2c", _("A periodic meeting of both organisations is in the calendar.")),
    ),
    Phase.INNOVEREN: (
        DefaultItem("3a", _("The intervention is scalable, affordable and feasible within the frame.")),
        DefaultItem("3a", _("We have weighed how complex the intervention is and how far it may be adapted.")),
        DefaultItem("3b", _("A method description names goal, target group, approach and preconditions.")),
        DefaultItem("3b", _("The active components (werkzame bestanddelen) are named.")),
        DefaultItem("3b", _("We know where the intervention stands on the effectiveness ladder.")),
    ),
    Phase.VERSTERKEN: (
        DefaultItem("4a", _("Key figures are known at every level, from alderman to executors.")),
        DefaultItem("4a", _("Every key figure has a contact person in the team.")),
        DefaultItem("4b", _("Support is checked regularly: attendance, input and responsiveness.")),
        DefaultItem("4b", _("The commissioner hears from us when support drops and cannot be restored.")),
    ),
    Phase.IMPLEMENTEREN: (
        DefaultItem("5a", _("An implementation team of two or three people with enough mandate is named.")),
        DefaultItem("5a", _("Both the giving and the receiving organisation sit in the implementation team.")),
        DefaultItem("5b", _("The core team meets every two weeks and steers on this checklist.")),
        DefaultItem("5c", _("The executing professionals are selected and trained.")),
        DefaultItem("5c", _("Coaching on the job is arranged and staff turnover is watched.")),
    ),
    Phase.BORGEN: (
        DefaultItem("6a", _("Someone is appointed to guard the quality of the intervention.")),
        DefaultItem("6a", _("A simple monitoring instrument is in use.")),
        DefaultItem("6b", _("Experiences are evaluated with executors and participants.")),
        DefaultItem("6b", _("It is clear who adapts the intervention based on feedback.")),
    ),
}
