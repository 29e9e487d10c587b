"""Who may do what in the forum, each rule stated once."""

from ciep.permissions import heads_delegation


def can_propose_sub_venue_event(user, delegation) -> bool:
    """A delegation's head proposes the events its city or province holds at a sub-venue."""
    return heads_delegation(user, delegation)


def can_edit_sub_venue_event(user, event) -> bool:
    """The head of the proposing delegation edits the proposal while organisers have not
    reviewed it."""
    return event.is_pending and heads_delegation(user, event.delegation)
