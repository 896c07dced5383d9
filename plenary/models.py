"""Plenaries and polls: built in the plenary issue; the app is installed so its place is fixed."""

from __future__ import annotations
