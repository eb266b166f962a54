"""Run the command line interface as ``python -m logparse``."""

from logparse.cli import main

main()
