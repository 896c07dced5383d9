from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from summit import views

urlpatterns = [
    path("", views.home, name="home"),
    path("s/<slug:slug>/", views.summit_home, name="summit_home"),
    path("s/<slug:slug>/pre-reading/", views.pre_reading, name="pre_reading"),
    path("breakouts/", include("breakouts.urls")),
    path("demo/", account_views.demo_login, name="demo_login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
