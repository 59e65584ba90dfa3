import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "mysite",
        "HOST": os.environ.get("DATABASE_HOST", "127.0.0.1"),
    }
}
# Sessions in the shared database, not in signed cookies (check reactpy_django.E005).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            # Above channels-redis' 5 s blocking read (check reactpy_django.W007).
            "hosts": [{"address": "redis://127.0.0.1:6379/0", "socket_timeout": 10}],
        },
    }
}
REACTPY_REFETCH_LAYER = "default"  # refetches and logins reach the other process
ALLOWED_HOSTS = ["www.example.com"]
CSRF_TRUSTED_ORIGINS = ["https://www.example.com"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
