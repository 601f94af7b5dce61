#!/bin/sh
# A test agent that gives up with status 3 and a complaint.
echo "half an answer"
echo "agent: cannot reach the model: API key sk-ab-PLANTED-0123456789abcdef rejected" >&2
exit 3
