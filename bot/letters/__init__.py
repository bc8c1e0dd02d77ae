"""Letters drafted for the manager (seed 004): the waarschuwingsbrief, the belverbod and
pandverbod letters and the invitation to a gesprek op kantoor, as .docx from templates the
organisation edits in Word (docxtpl: Jinja2 fields inside the document)."""
