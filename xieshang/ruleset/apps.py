from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesetConfig(AppConfig):
    name = "xieshang.ruleset"
    label = "ruleset"
    verbose_name = _("Committee rules")
