"""Errors of the end-of-emergency switch."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput


class EndInFuture(InvalidInput):
    code = "emergency.end_in_future"
    title = N_("The emergency cannot be declared ended on a day that has not come yet.")


class EndTooLongAgo(InvalidInput):
    code = "emergency.end_too_long_ago"
    title = N_(
        "The end date is so long ago that the retention countdown would already be over; "
        "personal data would be purged at once."
    )


class AlreadyEnded(Conflict):
    code = "emergency.already_ended"
    title = N_("The emergency has already been declared ended; undo that first.")


class NotEnded(Conflict):
    code = "emergency.not_ended"
    title = N_("The emergency has not been declared ended.")


class CountdownOver(Conflict):
    code = "emergency.countdown_over"
    title = N_(
        "The retention countdown has run out; the end of the emergency can no longer be undone."
    )
