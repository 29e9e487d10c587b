# English as the portal writes it beside times: "15 Jan" rather than Django's "January 15".
from django.conf.locale.en.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "j M"
