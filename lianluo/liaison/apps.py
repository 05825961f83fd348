from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "lianluo.liaison"
    label = "liaison"
    verbose_name = _("Studios and liaison")
