"""The event's template tags: what every app's pages use to show the summit's own text, and
counts of people by sector as the rule on small sectors lets them be shown."""
