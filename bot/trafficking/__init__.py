"""Signals of human trafficking and labour exploitation (seed 000): external reports."""
