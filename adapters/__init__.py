"""Platform adapters: each turns a messaging platform into meldbot's neutral events and UI."""
