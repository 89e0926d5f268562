import os
import tempfile

# Tests never touch ./var: a throwaway data directory unless the runner gave one.
os.environ.setdefault("GPUBROKER_DATA_DIR", tempfile.mkdtemp(prefix="gpubroker-test-"))
