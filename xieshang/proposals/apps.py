from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "xieshang.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from xieshang.proposals import permissions  # noqa: F401  (registers the named rules)
