"""partnet: a partnership network analyser. The command line lives in `partnet.cli`."""

__version__ = "0.1.0"
