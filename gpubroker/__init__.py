"""GPUBroker command line (``gpubroker``)."""
