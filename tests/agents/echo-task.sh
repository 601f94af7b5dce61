#!/bin/sh
# A test agent: answers with a fenced block naming what it was given.
printf 'task %s lang %s sample %s ep %s\n' "$AB_TASK_ID" "$AB_LANGUAGE" "$AB_SAMPLE" "$AB_ENTRY_POINT"
printf 'args:'; for a in "$@"; do printf ' [%s]' "$a"; done; printf '\n'
printf 'stdin bytes: %s\n' "$(wc -c)"
printf 'file has title: %s\n' "$(grep -c '^# Task' "$AB_TASK_FILE")"
echo "some diagnostics" >&2
