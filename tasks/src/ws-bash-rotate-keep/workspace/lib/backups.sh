# backups.sh - list the backups of a directory.

# list_backups DIR: backup file names in DIR, oldest first, one a line.
list_backups() {
	ls $1 | grep '^backup-[0-9]\{8\}-[0-9]\{6\}\.tar\.gz$' | sort -r
}
