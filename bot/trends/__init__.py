"""Trends for management: aggregates and a chart, never individuals."""
