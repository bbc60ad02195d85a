"""pytest plugin: scope timeline (being implemented)."""
