"""The NeoX-style training core.

megatron-core installs `megatron/core` without a `megatron/__init__.py`; extending
the package path keeps `import megatron.core` working beside this package.
"""
__path__ = __import__("pkgutil").extend_path(__path__, __name__)
