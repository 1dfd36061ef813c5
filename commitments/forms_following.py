"""The subscribe form (commitments/views/following.py): an address, how often, and a field
people never see (a honeypot: whoever fills it is a robot, answered as if all went well)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.models import Subscriber

HONEYPOT = "website"


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscriber.Frequency.choices,
        widget=forms.RadioSelect,
    )
