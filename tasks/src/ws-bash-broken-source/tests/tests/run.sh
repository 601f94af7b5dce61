#!/bin/bash
. tests/tap.sh
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t "from the top" [ "$(bin/mkslug 'Hello, World')" = hello-world ]
t "from elsewhere" [ "$(cd "$tmp" && "$top/bin/mkslug" '  A  --  b!  ')" = a-b ]
ln -s "$top/bin/mkslug" "$tmp/slugger"
t "through a symbolic link" [ "$(cd / && "$tmp/slugger" C++ is fun)" = c-is-fun ]
t "empty gives untitled" [ "$(bin/mkslug '***')" = untitled ]
t "the library alone" bash -c '. lib/text.sh && [ "$(lower ABC)" = abc ] && [ "$(slug "X Y")" = x-y ]'
finish
