#!/bin/bash
# Harbor verifier: reward 1 when /app/out.txt holds the word count.
if [ -x /app/count.sh ] && [ "$(tr -d ' \n' < /app/out.txt)" = 6 ]; then
	echo 1 > /logs/verifier/reward.txt
else
	echo 0 > /logs/verifier/reward.txt
fi
