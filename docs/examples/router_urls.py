from django.urls import re_path
from django.views.generic import TemplateView

urlpatterns = [
    # Every URL the router handles must serve the page that holds it.
    re_path(r"^books/", TemplateView.as_view(template_name="books.html")),
]
