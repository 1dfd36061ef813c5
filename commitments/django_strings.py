"""Django's own strings that our catalogues translate again.

Django ships Hindi translations of its month names and form errors, but some read wrongly
("नवमबर" for November, "यह क्षेत्र अपेक्षित हैं" for "This field is required."). Our catalogue
(locale/, first in LOCALE_PATHS) wins over Django's; listing the strings here with
gettext_noop keeps `makemessages` from dropping them as unused. Japanese gets the same entries
(Django's Japanese wording, kept) so both catalogues stay complete.
"""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]

# The empty choice of a required select (Django 6.1).
CHOICES = [gettext_noop("- Select an option -")]

FORM_ERRORS = [
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
]
