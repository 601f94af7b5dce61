#!/bin/bash
cut -d' ' -f1 | sort | uniq -c | sort -r | head -n 3 | awk '{ print $1, $2 }'
