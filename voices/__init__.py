"""Voice profiles shipped with reader, installed as the package ``reader._voices``."""
