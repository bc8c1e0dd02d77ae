"""Attachments: photos, screenshots and PDFs that come with a message and stay with the case."""
