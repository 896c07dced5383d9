from __future__ import annotations

from django.urls import path

from summit.synthesis import views

home = "s/<slug:slug>/synthesis/"
item = f"{home}<slug:kind>/<int:item_id>/"
theme = f"{home}themes/<int:theme_id>/"
urlpatterns = [
    path(home, views.synthesis_index, name="synthesis"),
    path(f"{home}leads/", views.add_lead, name="synthesis_add_lead"),
    path(f"{home}leads/<int:person_id>/remove/", views.remove_lead, name="synthesis_remove_lead"),
    path(f"{home}subthemes/<int:subtheme_id>/", views.synthesis_page, name="synthesis_subtheme"),
    path(
        f"{home}subthemes/<int:subtheme_id>/board/",
        views.synthesis_board,
        name="synthesis_board",
    ),
    path(
        f"{home}subthemes/<int:subtheme_id>/themes/new/",
        views.add_theme,
        name="synthesis_add_theme",
    ),
    path(theme, views.change_theme, name="synthesis_change_theme"),
    path(f"{theme}remove/", views.remove_theme, name="synthesis_remove_theme"),
    path(f"{item}map/", views.map_item, name="synthesis_map"),
    path(f"{item}unmap/", views.unmap_item, name="synthesis_unmap"),
]
