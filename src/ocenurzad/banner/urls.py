from django.urls import path

from . import views

urlpatterns = [
    path("", views.banner_page, name="banner-page"),
]
