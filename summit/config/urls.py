from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from accounts import language_views
from accounts import views as account_views
from summit.organise import (
    action_views,
    design_file_views,
    design_views,
    feedback_views,
    first_thoughts,
    group_views,
    home,
    my_data,
    offline,
    run_sheet,
    settings_views,
    shift_views,
    stimulus,
    what_we_did,
)
from summit.organise import views as organise_views
from summit.organise.design import PartConverter
from summit.record import views as record_views
from summit.web.catalogue import js_catalogue

register_converter(PartConverter, "design_part")

reset = {
    "password_reset": auth_views.PasswordResetView.as_view(),
    "password_reset_done": auth_views.PasswordResetDoneView.as_view(),
    "password_reset_confirm": auth_views.PasswordResetConfirmView.as_view(),
    "password_reset_complete": auth_views.PasswordResetCompleteView.as_view(),
}

urlpatterns = [
    path("", home.home, name="home"),
    path("privacy/", home.privacy, name="privacy"),
    path("language/", language_views.switch_language, name="switch_language"),
    # Installing the app, and keeping a phone going while its network is away
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline_page, name="offline"),
    # The words the browser scripts show, in the language named
    path("i18n/<str:language>/catalogue.js", js_catalogue, name="js_catalogue"),
    # Joining and signing in
    path("join/", account_views.join, name="join"),
    path("j/<str:code>/", account_views.join_summit, name="join_summit"),
    path("r/<str:key>/", account_views.return_link, name="return_link"),
    path("invite/<str:token>/", account_views.accept_invite, name="accept_invite"),
    path("accounts/login/", account_views.sign_in, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", reset["password_reset"], name="password_reset"),
    path("accounts/password-reset/sent/", reset["password_reset_done"], name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        reset["password_reset_confirm"],
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", reset["password_reset_complete"], name="password_reset_complete"),
    path("demo/", account_views.demo_login, name="demo_login"),
    # A summit
    path("summits/new/", design_file_views.new_summit, name="new_summit"),
    path(
        "summits/new/stimulus/",
        stimulus.new_summit_from_stimulus,
        name="new_summit_from_stimulus",
    ),
    path(
        "summits/new/stimulus/confirm/",
        stimulus.confirm_summit_from_stimulus,
        name="confirm_summit_from_stimulus",
    ),
    path("s/<slug:slug>/", home.summit_home, name="summit_home"),
    path("s/<slug:slug>/pre-reading/", home.pre_reading, name="pre_reading"),
    path("s/<slug:slug>/first-thoughts/", first_thoughts.first_thoughts, name="first_thoughts"),
    path(
        "s/<slug:slug>/first-thoughts/<int:thought_id>/withdraw/",
        first_thoughts.withdraw,
        name="withdraw_first_thought",
    ),
    path("s/<slug:slug>/preference/", first_thoughts.preference, name="preference"),
    path("s/<slug:slug>/privacy/", home.summit_privacy, name="summit_privacy"),
    path("s/<slug:slug>/my-data/", my_data.my_data, name="my_data"),
    path("s/<slug:slug>/my-data/download/", my_data.my_data_download, name="my_data_download"),
    path("s/<slug:slug>/my-data/erase/", my_data.erase_me, name="erase_me"),
    path("s/<slug:slug>/feedback/", feedback_views.feedback_page, name="feedback"),
    path(
        "s/<slug:slug>/feedback/results/",
        feedback_views.feedback_results,
        name="feedback_results",
    ),
    path("s/<slug:slug>/return-link/", account_views.new_return_link, name="new_return_link"),
    path("s/<slug:slug>/people/", organise_views.people_page, name="people"),
    path(
        "s/<slug:slug>/people/<int:person_id>/",
        organise_views.update_person,
        name="update_person",
    ),
    path(
        "s/<slug:slug>/people/<int:person_id>/remove/",
        organise_views.remove_person,
        name="remove_person",
    ),
    path("s/<slug:slug>/invites/", account_views.invites, name="invites"),
    path(
        "s/<slug:slug>/invites/<int:invite_id>/withdraw/",
        account_views.withdraw_invite,
        name="withdraw_invite",
    ),
    path("s/<slug:slug>/breakouts/", group_views.breakouts_page, name="breakouts_setup"),
    path("s/<slug:slug>/voice/", organise_views.voice_page, name="voice"),
    path("s/<slug:slug>/audit/", organise_views.audit_log, name="audit_log"),
    path("s/<slug:slug>/breakouts/mix/", organise_views.mix_breakouts, name="mix_breakouts"),
    path("s/<slug:slug>/breakouts/choice/", organise_views.breakout_choice, name="breakout_choice"),
    path("s/<slug:slug>/settings/", settings_views.summit_settings_page, name="summit_settings"),
    path("s/<slug:slug>/settings/status/", settings_views.summit_status, name="summit_status"),
    # The summit's design, part by part: organisers change it, facilitators read it.
    path("s/<slug:slug>/design/", design_views.design, name="design"),
    path("s/<slug:slug>/design/<design_part:part>/", design_views.design_part, name="design_part"),
    path(
        "s/<slug:slug>/design/<design_part:part>/<int:item_id>/",
        design_views.design_item,
        name="design_item",
    ),
    path(
        "s/<slug:slug>/design/<design_part:part>/<int:item_id>/move/",
        design_views.design_move,
        name="design_move",
    ),
    path(
        "s/<slug:slug>/design/<design_part:part>/<int:item_id>/remove/",
        design_views.design_remove,
        name="design_remove",
    ),
    path(
        "s/<slug:slug>/design/<design_part:part>/<int:item_id>/retire/",
        design_views.design_retire,
        name="design_retire",
    ),
    path(
        "s/<slug:slug>/design/<design_part:part>/<int:item_id>/restore/",
        design_views.design_restore,
        name="design_restore",
    ),
    path(
        "s/<slug:slug>/breakouts/subthemes/<int:subtheme_id>/groups/",
        group_views.set_group_count,
        name="set_group_count",
    ),
    path(
        "s/<slug:slug>/breakouts/<int:breakout_id>/name/",
        group_views.rename_breakout,
        name="rename_breakout",
    ),
    path(
        "s/<slug:slug>/breakouts/<int:breakout_id>/remove/",
        group_views.remove_breakout,
        name="remove_breakout",
    ),
    path(
        "s/<slug:slug>/breakouts/<int:breakout_id>/facilitators/",
        group_views.add_facilitator,
        name="add_facilitator",
    ),
    path(
        "s/<slug:slug>/breakouts/<int:breakout_id>/facilitators/<int:person_id>/remove/",
        group_views.remove_facilitator,
        name="remove_facilitator",
    ),
    path("s/<slug:slug>/joining/", organise_views.joining, name="joining"),
    path("s/<slug:slug>/joining/new-code/", organise_views.new_join_code, name="new_join_code"),
    path("s/<slug:slug>/joining/open-now/", organise_views.open_now, name="open_now"),
    path("s/<slug:slug>/screen/join/", organise_views.join_screen, name="join_screen"),
    # The run sheet: the plenary's polls prepared before the day
    path("s/<slug:slug>/actions/", action_views.actions_page, name="actions"),
    path("s/<slug:slug>/actions/make/", action_views.make_actions, name="make_actions"),
    path(
        "s/<slug:slug>/actions/new/<int:outcome_id>/",
        action_views.add_action,
        name="add_action",
    ),
    path("s/<slug:slug>/actions/<int:action_id>/", action_views.change_action, name="action"),
    path(
        "s/<slug:slug>/actions/<int:action_id>/remove/",
        action_views.remove_action,
        name="remove_action",
    ),
    path("s/<slug:slug>/run-sheet/", run_sheet.run_sheet_page, name="run_sheet"),
    path("s/<slug:slug>/run-sheet/<int:poll_id>/", run_sheet.change_poll, name="run_sheet_poll"),
    path("s/<slug:slug>/run-sheet/<int:poll_id>/move/", run_sheet.move_poll, name="run_sheet_move"),
    path(
        "s/<slug:slug>/run-sheet/<int:poll_id>/ask-again/",
        run_sheet.ask_again,
        name="run_sheet_ask_again",
    ),
    path(
        "s/<slug:slug>/run-sheet/<int:poll_id>/remove/",
        run_sheet.remove_poll,
        name="run_sheet_remove",
    ),
    # How views moved between the two rounds of a poll asked again at the close
    path("s/<slug:slug>/shift/", shift_views.shift_page, name="shift"),
    # After the day: what the summit did, for those who took part, and its public summary
    path("s/<slug:slug>/what-we-did/", what_we_did.what_we_did, name="what_we_did"),
    path("s/<slug:slug>/what-we-did/shared/", what_we_did.choose_shared, name="choose_shared"),
    path("s/<slug:slug>/what-we-did/publish/", what_we_did.publish_link, name="publish_summary"),
    path("s/<slug:slug>/what-we-did/withdraw/", what_we_did.withdraw_link, name="withdraw_summary"),
    path("p/<str:key>/", what_we_did.public_summary, name="public_summary"),
    # The record: the page to read and print, and each download
    path("s/<slug:slug>/record/", record_views.record_page, name="record"),
    path("s/<slug:slug>/record/docx/", record_views.record_docx, name="record_docx"),
    path("s/<slug:slug>/record/markdown/", record_views.record_markdown, name="record_markdown"),
    path("s/<slug:slug>/record/xlsx/", record_views.record_xlsx, name="record_xlsx"),
    path("s/<slug:slug>/record/csv/", record_views.record_csv, name="record_csv"),
    path("s/<slug:slug>/record/json/", record_views.record_json, name="record_json"),
    # The summit's design file, and its schema at one address for every summit.
    path("s/<slug:slug>/design.json", design_file_views.design_download, name="design_download"),
    path(
        "design/schema/design-v1.schema.json", design_file_views.design_schema, name="design_schema"
    ),
    # The JSON document's schema, at one address for every summit and every version's file.
    path("record/schema/record-v1.schema.json", record_views.record_schema, name="record_schema"),
    path("", include("summit.synthesis.urls")),
    path("breakouts/", include("breakouts.urls")),
    path("", include("plenary.urls")),
]
