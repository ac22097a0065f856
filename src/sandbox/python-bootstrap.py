# Runs one Python tool call. Started as root inside fresh net/pid/mount namespaces by python-runner.ts; hides host
# paths (python-confine.py), applies resource limits, drops to an unprivileged user, refuses Unix sockets, then
# calls the tool and writes {"ok", "value"|"error"} to a result file opened before the drop (prints cannot fake it).
import asyncio
import importlib.util
import inspect
import json
import os
import resource
import sys
import traceback


def load_confine():
    # Loaded by path: the sandbox folder never joins the tool's sys.path; -I ignores PYTHONDONTWRITEBYTECODE, so
    # say it here, or root would leave a __pycache__ in the source tree.
    sys.dont_write_bytecode = True
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python-confine.py")
    spec = importlib.util.spec_from_file_location("mnemo_confine", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    confine = load_confine()
    confine.hide_files(spec["hideFiles"])
    confine.mask_dirs(spec["maskDirs"], spec["keepDirs"], spec["secretDirs"])
    os.chdir(spec["workDir"])
    apply_limits(spec["limits"])
    if spec["dropTo"] is not None:
        drop_privileges(spec["dropTo"]["uid"], spec["dropTo"]["gid"])
    confine.block_unix_sockets()
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
