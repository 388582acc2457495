"""Import batches (数据导入批次): upload, preview, confirm in one transaction, discard."""
