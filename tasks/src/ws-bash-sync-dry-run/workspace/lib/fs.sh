# fs.sh - file helpers for sync.

# same_file A B: A and B both exist with the same bytes.
same_file() {
	[ -f "$1" ] && [ -f "$2" ] && cmp -s -- "$1" "$2"
}

# copy_file SRC DEST: copy, making DEST's directory.
copy_file() {
	mkdir -p -- "$(dirname -- "$2")" && cp -- "$1" "$2"
}
