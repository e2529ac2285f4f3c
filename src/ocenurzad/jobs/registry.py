"""Which functions may run as background jobs.

A job names its handler by dotted path (``Job.handler``); only a function decorated with
``@job_handler`` runs — a path to anything else is refused, whatever a row says.
"""

from collections.abc import Callable
from importlib import import_module

_HANDLERS: dict[str, Callable] = {}


def job_handler(func: Callable) -> Callable:
    """Register ``func(job: JobContext) -> dict | None`` as a job handler.

    The handler must be idempotent: it may run again after a worker died half-way (the
    reaper queues the job again), so it either does its work in one transaction or
    checks what an earlier attempt left. Its return value (JSON) becomes ``Job.result``.
    """
    path = f"{func.__module__}.{func.__qualname__}"
    func.job_handler_path = path
    _HANDLERS[path] = func
    return func


def handler_path(handler) -> str:
    """The dotted path of a registered handler (the function itself or its path)."""
    path = handler if isinstance(handler, str) else getattr(handler, "job_handler_path", None)
    if not path or handler_resolve(path) is None:
        raise ValueError(f"{handler!r} is not a @job_handler")
    return path


def handler_resolve(path: str) -> Callable | None:
    """The handler registered under ``path``, importing its module if needed; None when
    there is none (a path to an undecorated function included)."""
    func = _HANDLERS.get(path)
    if func is None:
        module = path.rpartition(".")[0]
        try:
            import_module(module)
        except ImportError:
            return None
        func = _HANDLERS.get(path)
    return func
