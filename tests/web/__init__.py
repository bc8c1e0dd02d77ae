"""Tests of the local web chat adapter."""
