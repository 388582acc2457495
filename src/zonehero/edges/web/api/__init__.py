"""The JSON API under ``/api`` (same accounts and rules as the pages). Each module has one ``router``."""
