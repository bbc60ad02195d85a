"""pytest plugin: scope timeline (placeholder until implemented)."""
