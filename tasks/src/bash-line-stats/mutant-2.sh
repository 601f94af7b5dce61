#!/bin/bash
input=$(cat)
lines=$(printf '%s\n' "$input" | grep -c '[^[:space:]]')
words=$(printf '%s\n' "$input" | wc -w)
longest=$(printf '%s\n' "$input" | wc -L)
echo "$lines $words $longest"
