python manage.py migrate
python manage.py collectstatic --noinput
uvicorn mysite.asgi:application --host 127.0.0.1 --port 8001 --proxy-headers &
uvicorn mysite.asgi:application --host 127.0.0.1 --port 8002 --proxy-headers &
