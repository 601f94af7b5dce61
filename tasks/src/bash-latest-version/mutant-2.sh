#!/bin/bash
grep -E 'v?[0-9]+\.[0-9]+\.[0-9]+' | sed 's/^v//' | sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1
