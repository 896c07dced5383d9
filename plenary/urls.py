from __future__ import annotations

from django.urls import path

from plenary import chair_views, floor_views, theme_views, views

app_name = "plenary"
room = "s/<slug:slug>/plenary/"
console = f"{room}console/"
poll = f"{console}polls/<int:poll_id>/"
moderate = f"{room}questions/moderate/"
urlpatterns = [
    path(room, views.room, name="room"),
    path(f"{room}panel/", views.panel, name="panel"),
    path(f"{room}polls/<int:poll_id>/answer/", views.answer, name="answer"),
    # Questions from the floor: phones
    path(f"{room}questions/", floor_views.questions, name="questions"),
    path(
        f"{room}questions/sessions/<int:session_id>/ask/",
        floor_views.ask,
        name="ask_question",
    ),
    path(
        f"{room}questions/<int:question_id>/support/",
        floor_views.support,
        name="support_question",
    ),
    # The facilitators' console
    path(console, views.console, name="console"),
    path(f"{console}agenda/", views.agenda, name="agenda"),
    path(f"{console}show/", views.show, name="show"),
    path(f"{console}next-report/", views.next_report, name="next_report"),
    path(f"{console}polls/new/", views.new_poll, name="new_poll"),
    path(f"{poll}open/", views.open_poll, name="open_poll"),
    path(f"{poll}close/", views.close_poll, name="close_poll"),
    path(f"{poll}results/", views.poll_results, name="poll_results"),
    path(f"{poll}delete/", views.delete_poll, name="delete_poll"),
    path(f"{console}consensus/", views.consensus, name="consensus"),
    path(f"{console}new-screen-link/", views.new_screen_link, name="new_screen_link"),
    path(f"{console}theme/", theme_views.show_theme, name="show_theme"),
    path(f"{console}theme/clear/", theme_views.clear_theme, name="clear_theme"),
    # Questions from the floor: the moderators' page
    path(f"{moderate}", chair_views.moderate, name="moderate"),
    path(f"{moderate}lanes/", chair_views.lanes, name="moderate_lanes"),
    path(f"{moderate}merge/", chair_views.merge, name="merge_questions"),
    path(f"{moderate}sessions/new/", chair_views.add_session, name="add_qa_session"),
    path(
        f"{moderate}sessions/<int:session_id>/",
        chair_views.change_session,
        name="change_qa_session",
    ),
    path(
        f"{moderate}<int:question_id>/<slug:action>/",
        chair_views.act,
        name="moderate_question",
    ),
    # The big screen
    path("plenary/screen/<str:key>/", views.screen, name="screen"),
    path("plenary/screen/<str:key>/panel/", views.screen_panel, name="screen_panel"),
]
