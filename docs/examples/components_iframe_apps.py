from django.apps import AppConfig


class MyAppConfig(AppConfig):
    name = "myapp"

    def ready(self) -> None:
        from reactpy_django.utils import register_iframe

        register_iframe("myapp.components.greeting_view")
