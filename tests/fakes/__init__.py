"""Fakes of the platforms meldbot talks to, for tests."""
