"""Intake signals: danger now, self-harm and a suggested category, heard in free text."""

from bot.intake.signals import Recogniser, Signals

__all__ = ["Recogniser", "Signals"]
