from django.contrib import admin

from .models import Assignment, PhaseState, PhaseTransition, SubphaseState, Trajectory


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
