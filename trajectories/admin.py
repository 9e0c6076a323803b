from django.contrib import admin

from . import review_schedule
from .models import (
    Action,
    Assignment,
    ChecklistTemplateItem,
    PhaseState,
    PhaseTransition,
    Review,
    SubphaseState,
    Trajectory,
)


class PhaseStateInline(admin.TabularInline):
    model = PhaseState
    extra = 0
    can_delete = False
    fields = ["phase", "status", "completion_note", "started_at", "completed_at"]
    readonly_fields = ["phase"]

    def has_add_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    """Transitions are history: shown, never edited."""

    model = PhaseTransition
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "from_phase",
        "from_status",
        "to_phase",
        "to_status_before",
        "reason",
        "created_by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Trajectory)
class TrajectoryAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "receiving_organisation", "current_phase", "status", "start_date"]
    list_filter = ["status", "current_phase", "owner"]
    search_fields = ["title", "intervention_name", "commissioner"]
    autocomplete_fields = ["owner", "receiving_organisation", "participants"]
    readonly_fields = ["current_phase", "start_phase", "created_by", "created_at", "updated_at"]
    inlines = [PhaseStateInline, TransitionInline]

    def has_add_permission(self, request):
        # Trajectories start through the start-point question in the app, which creates their phase states.
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The start date, the review interval and the phases' starts are written here, past the services.
        review_schedule.sync([form.instance.pk])


@admin.register(SubphaseState)
class SubphaseStateAdmin(admin.ModelAdmin):
    list_display = ["trajectory", "subphase", "status", "updated_at"]
    list_filter = ["subphase", "status"]
    search_fields = ["trajectory__title", "notes"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["trajectory", "question_origin", "is_realistic", "is_ambitious", "updated_at"]
    search_fields = ["trajectory__title", "innovation_question"]


@admin.register(PhaseTransition)
class PhaseTransitionAdmin(admin.ModelAdmin):
    list_display = ["trajectory", "from_phase", "to_phase", "created_by", "created_at"]
    list_filter = ["to_phase"]
    search_fields = ["trajectory__title", "reason"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(admin.ModelAdmin):
    list_display = ["text", "organisation", "phase", "position", "retired_at"]
    list_filter = ["phase", "organisation"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Support staff can look up a review; the meeting itself happens in the product."""

    list_display = ["trajectory", "held_on", "overall_light", "finalised_at"]
    list_filter = ["overall_light"]
    readonly_fields = ["trajectory", "phases", "overall_light", "finalised_at", "finalised_by", "created_by"]
    search_fields = ["trajectory__title"]

    def has_add_permission(self, request):
        return False

    # A review's date, or the review itself, changed here past the services: store the next review again.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        review_schedule.sync([obj.trajectory_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        review_schedule.sync([obj.trajectory_id])

    def delete_queryset(self, request, queryset):
        trajectory_ids = list(queryset.values_list("trajectory_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        review_schedule.sync(trajectory_ids)


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["description", "trajectory", "assignee", "due_on", "closed_at"]
    search_fields = ["description", "trajectory__title"]
    readonly_fields = ["trajectory", "item", "review", "created_by", "closed_by"]
