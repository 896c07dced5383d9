from __future__ import annotations

from django.urls import path

from breakouts import alike_views as alike
from breakouts import console_views as steer
from breakouts import views

app_name = "breakouts"
urlpatterns = [
    path("<int:breakout_id>/", views.breakout_page, name="breakout"),
    path("<int:breakout_id>/board/", views.board, name="board"),
    path("<int:breakout_id>/ideas/post/", views.post_idea, name="post_idea"),
    path("<int:breakout_id>/ideas/similar/", alike.similar, name="similar"),
    path("<int:breakout_id>/ideas/<int:idea_id>/edit/", views.edit_idea, name="edit_idea"),
    path(
        "<int:breakout_id>/ideas/<int:idea_id>/withdraw/",
        views.withdraw_idea,
        name="withdraw_idea",
    ),
    path("<int:breakout_id>/ideas/<int:idea_id>/comment/", views.comment, name="comment"),
    path("<int:breakout_id>/ideas/<int:idea_id>/dots/", views.dots, name="dots"),
    path("<int:breakout_id>/outcomes/<int:outcome_id>/rate/", views.rate, name="rate"),
    path("<int:breakout_id>/choose/", views.choose, name="choose"),
    path("screen/<str:key>/", views.screen, name="screen"),
    path("screen/<str:key>/board/", views.screen_board, name="screen_board"),
    # The facilitator's console: its pages, then every action on it, from its table.
    path("<int:breakout_id>/console/", steer.console, name="console"),
    path("<int:breakout_id>/console/voice/", steer.voice, name="voice"),
    # Ideas alike: the console's possible duplicates and suggested clusters, and their actions.
    *(
        path(f"<int:breakout_id>/console/{route}", view, name=view.__name__)
        for route, view in alike.CONSOLE_ROUTES
    ),
    *(
        path(
            f"<int:breakout_id>/console/{action.route}",
            steer.console_action,
            {"action": action},
            name=action.name,
        )
        for action in steer.ACTIONS
    ),
]
