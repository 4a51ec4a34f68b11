"""Coded errors of corpus runs; reads nothing, produces exceptions that name the executor and the fix."""

from __future__ import annotations

from readouts.errors import ConfigError


class ExecutorError(ConfigError):
    """The executor asked for cannot run: unknown name, missing package, unreachable scheduler."""

    code = "R420"

