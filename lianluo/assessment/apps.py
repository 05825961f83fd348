from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "lianluo.assessment"
    label = "assessment"
    verbose_name = _("Assessment 双考")

    def ready(self) -> None:
        from lianluo.assessment import watch

        watch.connect()
