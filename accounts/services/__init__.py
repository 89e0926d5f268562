"""Write-side functions of accounts/: one module per concern (see each docstring)."""
