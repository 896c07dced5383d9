from __future__ import annotations

from django.urls import path

from breakouts import console_views as steer
from breakouts import views

app_name = "breakouts"
urlpatterns = [
    path("<int:breakout_id>/", views.breakout_page, name="breakout"),
    path("<int:breakout_id>/board/", views.board, name="board"),
    path("<int:breakout_id>/ideas/post/", views.post_idea, name="post_idea"),
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
    # The facilitator's console
    path("<int:breakout_id>/console/", steer.console, name="console"),
    path("<int:breakout_id>/console/voice/", steer.voice, name="voice"),
    path("<int:breakout_id>/console/rank-by/", steer.rank_by, name="rank_by"),
    path("<int:breakout_id>/console/phase/", steer.phase, name="phase"),
    path("<int:breakout_id>/console/timer/", steer.timer, name="timer"),
    path("<int:breakout_id>/console/prompt/", steer.prompt, name="prompt"),
    path("<int:breakout_id>/console/voting-rules/", steer.voting_rules, name="voting_rules"),
    path("<int:breakout_id>/console/ideas/<int:idea_id>/hide/", steer.hide, name="hide"),
    path("<int:breakout_id>/console/ideas/<int:idea_id>/restore/", steer.restore, name="restore"),
    path("<int:breakout_id>/console/ideas/<int:idea_id>/merge/", steer.merge, name="merge"),
    path(
        "<int:breakout_id>/console/ideas/<int:idea_id>/cluster/",
        steer.cluster_idea,
        name="cluster_idea",
    ),
    path("<int:breakout_id>/console/clusters/", steer.add_cluster, name="add_cluster"),
    path(
        "<int:breakout_id>/console/clusters/<int:cluster_id>/",
        steer.rename_cluster,
        name="rename_cluster",
    ),
    path(
        "<int:breakout_id>/console/clusters/<int:cluster_id>/remove/",
        steer.remove_cluster,
        name="remove_cluster",
    ),
    path("<int:breakout_id>/console/spotlight/", steer.spotlight, name="spotlight"),
    path("<int:breakout_id>/console/on-behalf/", steer.on_behalf, name="on_behalf"),
    path("<int:breakout_id>/console/outcomes/", steer.save_outcome, name="add_outcome"),
    path(
        "<int:breakout_id>/console/outcomes/<int:outcome_id>/",
        steer.save_outcome,
        name="edit_outcome",
    ),
    path(
        "<int:breakout_id>/console/outcomes/<int:outcome_id>/delete/",
        steer.delete_outcome,
        name="delete_outcome",
    ),
    path("<int:breakout_id>/console/screen-link/", steer.new_screen_link, name="new_screen_link"),
]
