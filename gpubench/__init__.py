"""`gpubroker bench-gpu`: measure this machine's accelerator beside its datasheet (see
``gpubench.bench``). Needs the optional ``torch`` dependency; the CLI only dispatches here."""
