"""The installable instructor app: its manifest and its service worker.

Both are served by the app at the root, so the worker's scope is the whole site (a
worker under /static/ could only control /static/). They are public: the browser
fetches the manifest without cookies, and the worker must install before sign-in.
"""

import hashlib
from functools import cache
from pathlib import Path

from flask import current_app, jsonify, render_template, url_for
from flask_babel import gettext as _

from auth.permissions import public
from courses import bp

# What a page needs when the network is gone: kept by the worker when it installs.
SHELL_FILES = [
    ("static", "css/app.css"),
    ("static", "js/app.js"),
    ("static", "js/outbox-store.js"),
    ("static", "js/outbox.js"),
    ("static", "icons/icon-192.png"),
    ("bootstrap.static", "css/bootstrap.min.css"),
    ("bootstrap.static", "umd/popper.min.js"),
    ("bootstrap.static", "js/bootstrap.min.js"),
]


@cache
def _shell_version(root: str) -> str:
    """Changes whenever a shell file or the worker changes, so phones fetch them anew."""
    digest = hashlib.sha256()
    for name in ("js/outbox-store.js", "js/outbox.js", "js/app.js", "css/app.css"):
        digest.update((Path(root) / name).read_bytes())
    digest.update((Path(root).parent / "templates/offline/service-worker.js").read_bytes())
    return digest.hexdigest()[:12]


@bp.route("/manifest.webmanifest")
@public
def web_manifest():
    """The web app manifest: name, icons and start page of the instructor app."""
    manifest = {
        "name": _("EOD courses: attendance"),
        "short_name": _("EOD courses"),
        "description": _("Take attendance on the training ground, with or without network."),
        "id": "/instructor",
        "start_url": "/instructor",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#212529",
        "icons": [
            {
                "src": url_for("static", filename=f"icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ],
    }
    response = jsonify(manifest)
    response.mimetype = "application/manifest+json"
    return response


@bp.route("/service-worker.js")
@public
def service_worker():
    """The service worker: keeps the app shell and the instructor's pages for offline use."""
    shell = [url_for(endpoint, filename=name) for endpoint, name in SHELL_FILES]
    body = render_template(
        "offline/service-worker.js",
        shell=shell,  # nosec B604 - the files the worker keeps, not a subprocess
        version=_shell_version(current_app.static_folder),
    )
    response = current_app.response_class(body, mimetype="text/javascript")
    # A worker served from the root controls the root; the header says so explicitly.
    response.headers["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker on each visit; no intermediary may keep an old one.
    response.headers["Cache-Control"] = "no-cache"
    return response
