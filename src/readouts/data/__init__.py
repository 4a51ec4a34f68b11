"""Data tables and trained models shipped with the package; read through readouts.resources."""
