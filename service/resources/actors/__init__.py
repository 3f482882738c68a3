"""/v1/actors: the global actor registry."""
