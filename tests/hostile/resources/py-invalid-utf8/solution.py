# Latin-1 for UTF-8, overlong and surrogate encodings, a NUL: the record
# must stay valid JSON and the bytes must not compare equal to "café".
import sys
sys.stdout.buffer.write(b"caf\xe9\n\xff\xfe\xc0\xaf\xed\xa0\x80\x00\x01\x1b[2J\n")
