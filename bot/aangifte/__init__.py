"""Aangifte (a police report): what the reporter can expect, and the record of it."""
