from __future__ import annotations

from django.urls import path

from breakouts import views

app_name = "breakouts"
urlpatterns = [
    path("<int:breakout_id>/", views.breakout_page, name="breakout"),
    path("<int:breakout_id>/ideas/", views.idea_list, name="idea_list"),
    path("<int:breakout_id>/ideas/post/", views.post_idea, name="post_idea"),
    path("<int:breakout_id>/console/", views.console, name="console"),
]
