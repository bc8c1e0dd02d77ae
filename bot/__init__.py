"""meldbot's platform-neutral core."""
