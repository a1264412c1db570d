"""VirtQuest: a learning game about how a hypervisor runs a guest OS."""

__version__ = "0.1.0"
