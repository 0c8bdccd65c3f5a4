"""WSGI entry point of the reporter portal: gunicorn portal_wsgi:app (the staff app is wsgi:app)."""

from caseflow.portal import create_portal_app

app = create_portal_app()
