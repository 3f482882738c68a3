"""HTTP resources: one package per resource, each a blueprint of thin views."""
