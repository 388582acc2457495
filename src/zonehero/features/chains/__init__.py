"""Industry chains as records (产业链图谱): links upstream → downstream, 链主, tags, the target library (目标企业库)."""
