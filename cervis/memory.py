"""The server's memory on a small machine: what it frees goes back to the system."""

import ctypes

M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # glibc's mallopt() parameters


def return_freed_memory():
    """glibc keeps a freed 7 MiB argon2 buffer in the arena of the thread that used it, and raises
    its mmap threshold so the next one stays too: eight server threads then hold eight of them.
    A fixed threshold of 1 MiB gives such buffers back when freed; two arenas bound the rest."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 1 << 20)
        libc.mallopt(M_ARENA_MAX, 2)
    except (OSError, AttributeError):
        pass  # not glibc (macOS): nothing to tune
