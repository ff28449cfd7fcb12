FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir -e . Babel
COPY . .
RUN find locale -name django.po -execdir pybabel compile -D django -i django.po -o django.mo \; \
    && DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "accessportal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
