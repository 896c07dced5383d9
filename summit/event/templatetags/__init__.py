"""The event's template tags: what every app's pages use to show the summit's own text."""
