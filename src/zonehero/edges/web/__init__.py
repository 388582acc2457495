"""The web application (网页端): FastAPI + Jinja2 pages, the JSON API under ``/api``, vendored static assets.

Build it with :func:`zonehero.edges.web.app.create_app`; see ``README.md`` beside this file.
"""
