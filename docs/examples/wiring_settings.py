INSTALLED_APPS = [
    # ... your apps ...
    "daphne",  # runserver serves ASGI with it; leave it out under uvicorn (docs/deployment.md)
    "channels",
    "reactpy_django",
]
ASGI_APPLICATION = "mysite.asgi.application"
CHANNEL_LAYERS = {
    "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"},  # Redis for several processes
}
