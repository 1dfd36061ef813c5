"""Log filters (tracker/settings.py, LOGGING). Imported while logging is configured: nothing
here may import Django's models."""

import logging
import re

# The secret part of the following pages' addresses (commitments/views/following.py): an
# address's token, or a signed confirmation code. Whoever reads a log must not be able to
# manage somebody's subscriptions with it.
FOLLOW_SECRET = re.compile(r"(/follow/(?:confirm|manage|unsubscribe)/)[^/\s'\"?#]+")


class HideFollowSecrets(logging.Filter):
    """Writes `/follow/manage/…/` instead of the token (Django's own warnings name the path:
    a refused CSRF check, a 405)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's business, not ours
            return True
        if "/follow/" in message:
            hidden = FOLLOW_SECRET.sub(r"\1…", message)
            if hidden != message:
                record.msg, record.args = hidden, None
        return True
