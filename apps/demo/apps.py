from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo workspace and its commands (seed_demo, setup_demo); no models of its own."""

    name = "apps.demo"
    label = "demo"
