from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "lianluo.proposals"
    label = "proposals"
    verbose_name = _("Proposals and opinion reports")
