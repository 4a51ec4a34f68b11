"""Groups statements by proposition and labels stance; reads Statements, produces Claims."""

from readouts.claims.group import group_claims

__all__ = ["group_claims"]
