#!/bin/bash
cd /tests
uv pip install pytest
pytest test_outputs.py
