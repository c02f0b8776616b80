"""Registry: organizations, users and tokens, facilities, persons and their names."""
