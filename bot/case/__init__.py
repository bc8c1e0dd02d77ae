"""The case domain: reports become cases that coordinators handle."""
