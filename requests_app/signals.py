"""Signals other parts of the site may listen to."""

from django.dispatch import Signal

# A letter failed for good: the mail server or provider refused it, or every attempt was used up.
# Sent with request= (the DataRequest, status "failed") and reason= (no addresses in it), after the
# change is saved. Nothing listens yet; the email telling the supporter will.
letter_failed = Signal()

# The confirmation email could not be delivered and no further attempt will be made. Sent with
# request= and reason=.
confirmation_failed = Signal()
