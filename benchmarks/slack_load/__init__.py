"""Benchmark: Slack DMs against a real ``meldbot serve`` and two minimal slack-bolt apps.

``python -m benchmarks.slack_load`` (``--short`` for a quick run); see ``__main__``.
"""
