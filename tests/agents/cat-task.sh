#!/bin/sh
# A test agent: answers with its task file, then its stdin.
cat "$1"
echo "=== stdin"
cat
