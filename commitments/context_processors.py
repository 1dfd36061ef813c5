from django.conf import settings

from commitments.numbers import SYSTEMS

NUMBER_SYSTEM_COOKIE = "numbers"


def site(request):
    chosen = request.COOKIES.get(NUMBER_SYSTEM_COOKIE)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "number_system": chosen if chosen in SYSTEMS else settings.NUMBER_SYSTEM,
        "number_systems": SYSTEMS,
    }
