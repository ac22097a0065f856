# Runs one Python tool call. Started (as root when possible) inside fresh net/pid/mount namespaces by
# python-runner.ts; hides host paths, applies resource limits, drops to an unprivileged user, then calls the
# tool and writes {"ok", "value"|"error"} to a result file opened before the drop (prints cannot fake it).
import asyncio
import inspect
import json
import os
import resource
import sys
import traceback

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_BIND = 1, 2, 4, 4096


def hide_paths(files, dirs):
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for path in files:
        libc.mount(b"/dev/null", path.encode(), None, MS_BIND, None)
    for path in dirs:
        libc.mount(b"tmpfs", path.encode(), b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, b"size=16k,mode=755")


def apply_limits(limits):
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (limits["as"], limits["as"]))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu"], limits["cpu"] + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["fsize"], limits["fsize"]))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits["nproc"], limits["nproc"]))


def drop_privileges(uid, gid):
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)


def call_tool(source, name, args):
    namespace = {"__name__": "__mnemo_tool__"}
    exec("from typing import *", namespace)  # Letta tools may use List/Optional without importing them
    exec(compile(source, "tool.py", "exec"), namespace)
    fn = namespace.get(name)
    if not callable(fn):
        raise NameError(f"function '{name}' not found in the tool source")
    value = fn(**args)
    if inspect.isawaitable(value):
        value = asyncio.run(value) if inspect.iscoroutine(value) else asyncio.run(_await(value))
    return value


async def _await(value):
    return await value


def to_json(value):
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError, RecursionError):
        return str(value)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    result_fd = os.open(spec["resultPath"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(spec["sourcePath"], encoding="utf-8") as f:
        source = f.read()
    if spec["hideFiles"] or spec["hideDirs"]:
        hide_paths(spec["hideFiles"], spec["hideDirs"])
    os.chdir(spec["workDir"])
    apply_limits(spec["limits"])
    if spec["dropTo"] is not None:
        drop_privileges(spec["dropTo"]["uid"], spec["dropTo"]["gid"])
    sys.path[:0] = spec["extraSysPath"]
    try:
        outcome = {"ok": True, "value": to_json(call_tool(source, spec["functionName"], spec["args"]))}
    except BaseException as exc:  # SystemExit and KeyboardInterrupt are tool failures too
        traceback.print_exc()
        outcome = {"ok": False, "error": {"name": type(exc).__name__, "message": str(exc)}}
    sys.stdout.flush()
    sys.stderr.flush()
    with os.fdopen(result_fd, "wb") as out:
        out.write(json.dumps(outcome).encode())


main()
