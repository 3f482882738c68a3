"""/v1/quotes: who said what, across articles."""
