"""The audit log (操作日志): who changed what, when, before and after."""
