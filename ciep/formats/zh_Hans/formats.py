# Chinese formats where Django's differ from what the conference's readers expect: figures
# grouped by thousands ("4,000", as Chinese official and press texts print them) and month
# days without a leading zero ("5月26日").
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
MONTH_DAY_FORMAT = "n月j日"
