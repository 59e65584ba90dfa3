from django.urls import include, path

urlpatterns = [
    # ... your URLs ...
    path("reactpy/", include("reactpy_django.http.urls")),
]
