"""Who may do what to a status update: decided here, and only here.

Every door uses `decide()` (or `can()` / `require()`): the site's editorial views, every admin
view, action, inline and change form, the model's workflow methods when a person acts, and
the management commands. The admin can therefore do nothing the site forbids.

The rules, by state of the update:

| action | who | when |
|---|---|---|
| view | anyone | published, superseded or retracted (it was public) |
| view | its author | always |
| view | an editor | anything but another person's draft |
| edit, delete, submit | its author (analyst or editor) | draft or rejected |
| withdraw | its author | submitted |
| publish, reject | an editor who is not its author | submitted |
| correct, retract | an analyst or editor | published |

Superusers follow the same rules: nobody publishes their own work, and nobody sees another
person's draft. A published update is never edited or deleted: it is corrected or retracted,
each a new revision that goes through review (see `StatusUpdate.publish`).
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

PUBLISH_PERMISSION = "commitments.publish_statusupdate"
CONTRIBUTE_PERMISSION = "commitments.add_statusupdate"


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    DELETE = "delete"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    PUBLISH = "publish"
    REJECT = "reject"
    CORRECT = "correct"
    RETRACT = "retract"


DRAFT, SUBMITTED, PUBLISHED, REJECTED = "draft", "submitted", "published", "rejected"
SUPERSEDED, RETRACTED = "superseded", "retracted"
# States whose content the public has seen: never edited in place, never deleted.
ONCE_PUBLIC_STATES = (PUBLISHED, SUPERSEDED, RETRACTED)
EDITABLE_STATES = (DRAFT, REJECTED)


def is_editor(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and user.has_perm(
        PUBLISH_PERMISSION
    )


def is_contributor(user) -> bool:
    """Analysts and editors: those who log updates."""
    return bool(user and user.is_authenticated and user.is_active) and user.has_perm(
        CONTRIBUTE_PERMISSION
    )


def decide(user, action: str, update) -> str | None:
    """None if `user` may do `action` to `update`; otherwise the reason, in words."""
    action = Action(action)
    state = update.state
    own = (
        user is not None
        and user.is_authenticated
        and update.author_id is not None
        and update.author_id == user.pk
    )

    if action is Action.VIEW:
        if state in ONCE_PUBLIC_STATES or own or (is_editor(user) and state != DRAFT):
            return None
        return _("No such update.")

    if action in (Action.CORRECT, Action.RETRACT):
        if not is_contributor(user):
            return _("Only analysts and editors can propose a correction or a retraction.")
        if state != PUBLISHED:
            return _("Only a published update can be corrected or retracted.")
        return None

    if action in (Action.PUBLISH, Action.REJECT):
        if not is_editor(user):
            return _("Only editors can review updates.")
        publishing = action is Action.PUBLISH
        if own:
            if publishing:
                return _("You cannot publish your own update: another editor must review it.")
            return _("You cannot reject your own update: another editor must review it.")
        if state != SUBMITTED:
            said = {"state": update.get_state_display().lower()}
            if publishing:
                return (
                    _("Only an update awaiting review can be published. This one is %(state)s.")
                    % said
                )
            return (
                _("Only an update awaiting review can be rejected. This one is %(state)s.") % said
            )
        return None

    # Edit, delete, submit and withdraw: the author's own work in progress.
    if not is_contributor(user):
        return _("Only analysts and editors can change updates.")
    if not own:
        return _("Only the author can change this update.")
    if action is Action.WITHDRAW:
        if state != SUBMITTED:
            return _("Only an update awaiting review can be withdrawn.")
        return None
    if state not in EDITABLE_STATES:
        if state in ONCE_PUBLIC_STATES:
            return _(
                "This update has been published: it is never changed in place. Open a "
                "correction or a retraction instead; it goes through review."
            )
        return _(
            "This update is %(state)s: only drafts and rejected updates can be changed. "
            "Withdraw it first if it is awaiting review."
        ) % {"state": update.get_state_display().lower()}
    return None


def can(user, action: str, update) -> bool:
    return decide(user, action, update) is None


def require(user, action: str, update) -> None:
    """Raise PermissionDenied with the reason unless `user` may do `action`."""
    reason = decide(user, action, update)
    if reason is not None:
        raise PermissionDenied(reason)


def visible_q(user) -> Q:
    """The updates `user` may see, as a filter (the `view` rule above, for querysets)."""
    visible = Q(state__in=ONCE_PUBLIC_STATES)
    if user is not None and user.is_authenticated:
        visible |= Q(author_id=user.pk)
        if is_editor(user):
            visible |= ~Q(state=DRAFT)
    return visible
