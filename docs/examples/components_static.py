from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.components import django_css, django_js


@component
def my_component() -> VdomDict:
    return html.div(
        django_css("demo_app/dropin.css"),  # the name `{% static %}` takes
        django_js("demo_app/dropin.js"),
        html.p({"class_name": "dropin-styled"}, "Green and bold."),
        html.p("The script ran ", html.b({"id": "dropin-js-runs"}), " time(s)."),
    )
