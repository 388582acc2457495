"""Command-line interface (Typer + Rich). Edges only: parse, call a service or core, render."""
