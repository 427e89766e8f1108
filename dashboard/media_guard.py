"""Streamlit's media files, each known by the session that made it, and Streamlit's web app
built behind dashboard/server.py's `Guard` (docs/security.md).

Which session made which file: Streamlit 1.67 links a file it generates on a download button's
click to no session at all, and a file lives on after the session that made it. So
`guard_streamlit_app` wraps, besides `create_starlette_app` (every app Streamlit's server builds
comes out inside `Guard`), in Streamlit's `MediaFileManager`, `add` (a file a script shows or
offers: owned by the script's session), `add_deferred` (a button's placeholder id: made by the
script's session) and `execute_deferred` (the click: runs only for the session whose button it
is, and the file it makes is that session's), and `DeferredFileHandler.handle`, which knows the
asking session but does not pass it on. If any of these moves, `xiaoan serve` refuses to start
(`tests/test_dashboard_server.py` fails first).
"""

from __future__ import annotations

import contextvars
import posixpath
from urllib.parse import urlsplit

from dashboard.server import GRANTS, Guard, SessionGrants

_asking_session: contextvars.ContextVar[str | None] = contextvars.ContextVar("xiaoan_asking_session", default=None)


def media_id(url: str) -> str:
    """The file id in a media URL Streamlit hands out (`/media/<id>.<ext>`)."""
    return posixpath.splitext(posixpath.basename(urlsplit(url).path))[0]


def script_session() -> str | None:
    """The session whose script is running on this thread, if any."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx is not None else None


def streamlit_hooks() -> list[tuple[object, str]] | None:
    """Where Streamlit 1.67 keeps what the guard wraps, or None when any of it has moved."""
    try:
        from streamlit.runtime.backend_operation_handler import DeferredFileHandler
        from streamlit.runtime.media_file_manager import MediaFileManager
        from streamlit.runtime.media_file_storage import MediaFileStorageError  # noqa: F401
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx  # noqa: F401
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        return None
    hooks = [(starlette_server, "create_starlette_app"), (MediaFileManager, "add"), (MediaFileManager, "add_deferred"),
             (MediaFileManager, "execute_deferred"), (DeferredFileHandler, "handle")]
    # where Streamlit defines them itself: an inherited stand-in (the handler's Protocol) is not it
    return hooks if all(callable(vars(owner).get(name)) for owner, name in hooks) else None


def guard_streamlit_app(grants: SessionGrants | None = None) -> bool:
    """Wrap every app Streamlit's server builds in Guard, and Streamlit's media files so that
    each is known by the session that made it (the module's docstring). True when everything
    was found where Streamlit 1.67 keeps it; False, and nothing changed, when anything moved
    (tests/test_dashboard_server.py fails then)."""
    hooks = streamlit_hooks()
    if hooks is None:
        return False
    if all(getattr(getattr(owner, name), "xiaoan_guarded", False) for owner, name in hooks):
        return True
    from streamlit.runtime.media_file_storage import MediaFileStorageError

    (server_module, _), (manager, _), _, _, (handler, _) = hooks
    create, add, add_deferred = server_module.create_starlette_app, manager.add, manager.add_deferred
    execute_deferred, handle = manager.execute_deferred, handler.handle

    def book():
        return grants or GRANTS

    def guarded(runtime):
        return Guard(create(runtime), grants)

    def owned_add(self, *args, **kwargs):
        url = add(self, *args, **kwargs)
        session_id = script_session()
        if session_id is not None:
            book().own(session_id, media_id(url))
        return url

    def owned_add_deferred(self, *args, **kwargs):
        placeholder = add_deferred(self, *args, **kwargs)
        session_id = script_session()
        if session_id is not None:
            book().made(session_id, placeholder)
        return placeholder

    def owned_execute_deferred(self, file_id, *args, **kwargs):
        session_id = _asking_session.get()
        if session_id is None or not book().made_by(file_id, session_id):
            raise MediaFileStorageError(f"Deferred file {file_id} is not this session's")
        url = execute_deferred(self, file_id, *args, **kwargs)
        book().own(session_id, media_id(url))
        return url

    async def asked_by(self, request, session_id, *args, **kwargs):
        token = _asking_session.set(session_id)  # asyncio.to_thread carries it to execute_deferred
        try:
            return await handle(self, request, session_id, *args, **kwargs)
        finally:
            _asking_session.reset(token)

    for wrapper, (owner, name) in zip((guarded, owned_add, owned_add_deferred, owned_execute_deferred, asked_by), hooks):
        if not getattr(getattr(owner, name), "xiaoan_guarded", False):
            wrapper.xiaoan_guarded = True
            setattr(owner, name, wrapper)
    return True
