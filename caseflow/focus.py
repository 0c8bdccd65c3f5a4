"""After a post, the next page opens where the user must look, without JavaScript.

A redirect that carries a flashed message goes to `#flash`, the focusable message region, so the browser starts
the keyboard's sequential focus there instead of at the top navigation (about 20 stops before the page's own
controls). A form shown again with its errors puts `autofocus` on its first field in error (`first_error()` in
the templates), so the cursor and a screen reader start at the first thing to correct.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, g, request, session

FLASH_FRAGMENT = "flash"  # the id of the message region in templates/base.html
REDIRECTS = {301, 302, 303, 307, 308}


def _same_site(location: str) -> bool:
    """Whether a redirect stays on this application (a relative path, or this host)."""
    target = urlsplit(location)
    return not target.netloc or target.netloc == request.host


def point_redirect_at_message(response: Response) -> Response:
    """Add `#flash` to a post's redirect when a message waits for the next page and no fragment was chosen."""
    if request.method != "POST" or response.status_code not in REDIRECTS or not session.get("_flashes"):
        return response
    location = response.headers.get("Location", "")
    if location and "#" not in location and _same_site(location):
        response.headers["Location"] = f"{location}#{FLASH_FRAGMENT}"
    return response


def first_error() -> bool:
    """Return True once per request: for the first field in error, which gets `autofocus`."""
    if g.get("_first_error_taken"):
        return False
    g._first_error_taken = True
    return True


def init_error_focus(app: Flask) -> None:
    """Give an app's templates `first_error()` (both apps)."""
    app.add_template_global(first_error, "first_error")


def init_app(app: Flask) -> None:
    """Register the redirect hook and the first-error focus on the staff app."""
    app.after_request(point_redirect_at_message)
    init_error_focus(app)
