"""WSGI entry point: gunicorn wsgi:app, flask --app wsgi ..."""

from caseflow import create_app

app = create_app()
