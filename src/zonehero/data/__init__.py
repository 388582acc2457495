"""Package data: default scheme, coefficient tables, demo generator inputs."""
