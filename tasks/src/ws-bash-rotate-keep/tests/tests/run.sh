#!/bin/bash
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mk() { # mk DIR NAME...
	d=$1; shift
	mkdir -p "$d"
	for f; do : > "$d/$f"; done
}
left() { (cd "$1" && ls | tr '\n' ' '); }

d="$tmp/a"
mk "$d" backup-20240101-000000.tar.gz backup-20240301-120000.tar.gz backup-20240201-000000.tar.gz notes.txt
touch -d '2030-01-01' "$d/backup-20240101-000000.tar.gz"
bin/rotate "$d" 2
t "keeps the 2 newest by name" [ "$(left "$d")" = "backup-20240201-000000.tar.gz backup-20240301-120000.tar.gz notes.txt " ]

d="$tmp/with space"
mk "$d" backup-20230101-000000.tar.gz backup-20230102-000000.tar.gz "backup-x.tar.gz"
bin/rotate "$d" 1
t "directory with a space" [ "$(left "$d")" = "backup-20230102-000000.tar.gz backup-x.tar.gz " ]

d="$tmp/b"
mk "$d" backup-20220101-000000.tar.gz backup-20220102-000000.tar.gz
bin/rotate "$d" 0
t "keep 0 deletes every backup" [ -z "$(left "$d")" ]

d="$tmp/c"
mk "$d" backup-20220101-000000.tar.gz
bin/rotate "$d" 5
t "fewer backups than keep" [ "$(left "$d")" = "backup-20220101-000000.tar.gz " ]

t "a bad keep is refused" sh -c '! bin/rotate "$1" x 2>/dev/null' sh "$d"
d="$tmp/d"
mk "$d" backup-20220101-000000.tar.gz backup-20220102-000000.tar.gz "-rf" "backup-20220103-000000.tar.gz.part"
bin/rotate "$d" 1
t "other files untouched" [ "$(left "$d")" = "-rf backup-20220102-000000.tar.gz backup-20220103-000000.tar.gz.part " ]
finish
