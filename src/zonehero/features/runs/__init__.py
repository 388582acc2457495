"""Evaluation runs (评价批次): draft → 公示 → final, results, comparison."""
