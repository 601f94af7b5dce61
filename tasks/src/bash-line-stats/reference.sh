#!/bin/bash
awk '
{
	if ($0 ~ /[^ \t]/) lines++
	words += NF
	if (length($0) > longest) longest = length($0)
}
END { printf "%d %d %d\n", lines, words, longest }'
