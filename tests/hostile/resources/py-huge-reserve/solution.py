# Reserves 32 GB of address space without touching it (ctypes mmap with
# MAP_NORESERVE): this is not memory use and must pass.
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                      ctypes.c_int, ctypes.c_int, ctypes.c_long]
PROT_RW, MAP_PRIVATE_ANON_NORESERVE = 3, 0x02 | 0x20 | 0x4000
p = libc.mmap(None, 32 << 30, PROT_RW, MAP_PRIVATE_ANON_NORESERVE, -1, 0)
print(42 if p not in (None, ctypes.c_void_p(-1).value) else "mmap refused")
