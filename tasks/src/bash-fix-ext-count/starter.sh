#!/bin/bash
for f in $(cat); do
	ext=${f#*.}
	echo "$ext"
done | sort | uniq -c | sort -n | awk '{print $1, $2}'
