"""Leaf modules every domain may import: they import no domain of `pipelines` back."""
