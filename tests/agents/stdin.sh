#!/bin/sh
# A test agent: answers with its prompt.
exec cat
