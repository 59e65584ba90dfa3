INSTALLED_APPS = [
    # ... your apps ...
    "daphne",
    "channels",
    "reactpy_django",
]
ASGI_APPLICATION = "mysite.asgi.application"
CHANNEL_LAYERS = {
    "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"},  # Redis for several processes
}
