"""Microsoft Teams, through the Microsoft 365 Agents SDK."""
