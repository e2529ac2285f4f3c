from django.urls import path

from . import views

urlpatterns = [
    path("<str:job_id>/", views.job_page, name="job"),
    path("<str:job_id>/stan.json", views.job_status, name="job-status"),
]
