from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "xieshang.demo"
    label = "demo"
    verbose_name = "Demo committee"
