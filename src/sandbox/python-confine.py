# Confinement steps for one Python tool call, used by python-bootstrap.py (root, inside fresh mount/net/pid
# namespaces): tmpfs over folders the tool must not see (re-exposing only what it needs inside them), and a
# seccomp filter that refuses every Unix-domain socket but connected stream pairs, so no host socket is reachable.
import ctypes
import os
import platform
import struct

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC = 1, 2, 4, 32, 4096, 16384
O_PATH = getattr(os, "O_PATH", 0o10000000)

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]


def _mount(source, target, fstype, flags, data):
    enc = lambda s: None if s is None else s.encode()
    if _libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def _inside(path, parent):
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def hide_files(files):
    for path in files:
        _mount("/dev/null", path, None, MS_BIND, None)


def mask_dirs(masks, keeps, secrets):
    """Covers each folder in masks with an empty read-only tmpfs; each [path, writable] in keeps that lies inside a
    mask is bound back at its own path (held open by descriptor before the mask hides it). Secrets are covered
    last, so no keep can re-expose them, and with mode 000: listing them fails instead of showing an empty folder."""
    held = []
    for path, writable in keeps:
        if os.path.isdir(path) and any(_inside(path, m) for m in masks):
            held.append((path, os.open(path, O_PATH | os.O_DIRECTORY | os.O_CLOEXEC), writable))
    mounted = _cover(masks, lambda m: "755" if any(_inside(p, m) for p, _, _ in held) else "000")
    for path, fd, writable in held:
        os.makedirs(path, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC, None)
        if not writable:
            _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, None)
        os.close(fd)
    mounted += _cover(secrets, lambda m: "000")
    for mask in mounted:
        _mount(None, mask, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, None)


def _cover(dirs, mode_of):
    mounted = []
    for path in sorted(set(dirs), key=len):
        # A folder inside one covered a moment ago no longer exists: it is hidden already.
        if os.path.isdir(path) and not any(_inside(path, m) for m in mounted):
            _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, f"size=64k,nr_inodes=256,mode={mode_of(path)}")
            mounted.append(path)
    return mounted


# seccomp: (audit arch, socket, socketpair, io_uring_setup) per machine; io_uring could open sockets unfiltered.
_ARCH = {"x86_64": (0xC000003E, 41, 53, 425), "aarch64": (0xC00000B7, 198, 199, 425)}
_LD_ABS, _JEQ, _JGE, _AND, _RET = 0x20, 0x15, 0x35, 0x54, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
AF_UNIX, SOCK_STREAM, EACCES = 1, 1, 13


def _filter(arch, nr_socket, nr_pair, nr_uring):
    # (code, true-label, false-label, k); labels resolve to relative jumps below.
    prog = [
        (_LD_ABS, None, None, 4), (_JEQ, None, "deny", arch),
        (_LD_ABS, None, None, 0), (_JGE, "deny", None, 0x40000000),  # x32 syscalls on x86_64
        (_JEQ, "socket", None, nr_socket), (_JEQ, "pair", None, nr_pair), (_JEQ, "deny", None, nr_uring),
        (_RET, None, None, _ALLOW),
        ("socket",), (_LD_ABS, None, None, 16), (_JEQ, "deny", None, AF_UNIX), (_RET, None, None, _ALLOW),
        ("pair",), (_LD_ABS, None, None, 24), (_AND, None, None, 0xF), (_JEQ, None, "deny", SOCK_STREAM),
        (_RET, None, None, _ALLOW),
        ("deny",), (_RET, None, None, _ERRNO | EACCES),
    ]
    labels, code = {}, []
    for ins in prog:
        if len(ins) == 1:
            labels[ins[0]] = len(code)
        else:
            code.append(ins)
    out = b""
    for i, (op, jt, jf, k) in enumerate(code):
        rel = lambda lbl: 0 if lbl is None else labels[lbl] - i - 1
        out += struct.pack("HBBI", op, rel(jt), rel(jf), k)
    return out, len(code)


def block_unix_sockets():
    """socket(AF_UNIX) and non-stream socketpairs fail with EACCES; other architectures' syscalls are refused."""
    machine = platform.machine()
    if machine not in _ARCH:
        raise OSError(f"no seccomp filter for machine {machine}")
    code, count = _filter(*_ARCH[machine])
    buf = ctypes.create_string_buffer(code)
    prog = struct.pack("HxxxxxxP", count, ctypes.addressof(buf))
    pbuf = ctypes.create_string_buffer(prog)
    if _libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    if _libc.prctl(22, 2, ctypes.addressof(pbuf), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")
