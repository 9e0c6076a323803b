from django.urls import path

from .views import trajectories as views

app_name = "trajectories"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("trajecten/nieuw/", views.trajectory_create, name="create"),
    path("trajecten/<int:pk>/", views.trajectory_detail, name="detail"),
    path("trajecten/<int:pk>/bewerken/", views.trajectory_edit, name="edit"),
    path("trajecten/<int:pk>/fase/<slug:phase>/", views.phase_detail, name="phase"),
    path("trajecten/<int:pk>/deelfase/<str:code>/", views.subphase_edit, name="subphase_edit"),
    path("trajecten/<int:pk>/opdracht/", views.assignment_edit, name="assignment_edit"),
    path("trajecten/<int:pk>/faseovergang/", views.trajectory_transition, name="transition"),
]
