"""Lets ``python -m readouts`` run the command line; reads arguments, produces what ``readouts`` does."""

from readouts.cli import main

main(prog_name="readouts")
