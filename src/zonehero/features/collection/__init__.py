"""数据归集 (department submissions): collection rounds, the departments' own uploads and API pushes, the board."""
