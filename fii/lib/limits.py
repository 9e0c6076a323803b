"""Length limits for free text (issue 16, finding 3).

Every free-text field has a limit, so one trajectory cannot hold megabytes of text that a report then
has to lay out. The model's ``max_length`` on a TextField is not a database constraint: it makes the
form refuse longer input with a Dutch error at the field, and keeps what the user typed.

- ``TEXT``: notes, reasons, explanations (about 600 words).
- ``LONG_TEXT``: the texts a document is made of (the assignment, the method description, the plan of
  approach, the agreement, an evaluation's findings, a review's summary; about 1,500 words).
"""

TEXT = 4_000
LONG_TEXT = 10_000
