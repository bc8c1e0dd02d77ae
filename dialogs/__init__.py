"""The conversations: each step returns neutral UI, never platform JSON."""
