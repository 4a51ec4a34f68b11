"""The README stays true: the two commands, every CLI command documented, its examples runnable."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from readouts.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_two_commands_come_first():
    head = README[: README.index("## ", README.index("\n"))] if "## " in README else README
    assert "make run" in head and "make test" in head


def test_every_command_is_documented_and_has_help():
    runner = CliRunner()
    for name, command in main.commands.items():
        assert f"readouts {name}" in README, f"README does not document `readouts {name}`"
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, result.output
        for param in command.params:
            if getattr(param, "hidden", False):  # deprecated spellings stay out of --help and the docs
                continue
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in result.output
                    assert opt in README, f"README does not document {name} {opt}"


def test_example_article_ships_with_the_project():
    example = Path(__file__).resolve().parents[1] / "examples" / "ottawa-trade-talks.txt"
    assert example.is_file()
    assert "examples/ottawa-trade-talks.txt" in README
