"""The NeoX-style training core.

megatron-core installs `megatron/core` without a `megatron/__init__.py`; extending
the package path keeps `import megatron.core` working beside this package, whether this
one is installed (`pip install -e .`) or imported from a checkout.
"""
import warnings

__path__ = __import__("pkgutil").extend_path(__path__, __name__)

# megatron-core warns at import, once per module, that it falls back to torch for kernels we never
# use from it (we use torch's fused AdamW and build our own model): noise before every command.
warnings.filterwarnings("ignore", message="Transformer Engine and Apex are not installed", category=UserWarning)
