"""Awareness: keeping the topic on the agenda in team channels."""
