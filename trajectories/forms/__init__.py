from .reviews import (
    ActionCloseForm,
    ActionForm,
    ChecklistItemForm,
    ReportPeriodForm,
    ReviewEditForm,
    ReviewItemForm,
    ReviewReopenForm,
    ReviewStartForm,
)
from .trajectories import (
    AssignmentForm,
    DateInput,
    PortfolioFilterForm,
    SubphaseForm,
    TrajectoryCreateForm,
    TrajectoryEditForm,
    TransitionForm,
    fields_only_helper,
)

__all__ = [
    "ActionCloseForm",
    "ActionForm",
    "AssignmentForm",
    "ChecklistItemForm",
    "DateInput",
    "PortfolioFilterForm",
    "ReportPeriodForm",
    "ReviewEditForm",
    "ReviewItemForm",
    "ReviewReopenForm",
    "ReviewStartForm",
    "SubphaseForm",
    "TrajectoryCreateForm",
    "TrajectoryEditForm",
    "TransitionForm",
    "fields_only_helper",
]
