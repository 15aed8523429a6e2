"""The built-in stages, one module per layer, each registered by name."""
