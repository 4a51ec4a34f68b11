"""Groups statements by proposition and labels stance; reads Statements, produces Claims."""

from readouts.claims.cluster import cluster_texts
from readouts.claims.group import group_claims
from readouts.claims.stance import predict_stance, stance_file

__all__ = ["cluster_texts", "group_claims", "predict_stance", "stance_file"]
