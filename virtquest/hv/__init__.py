"""Virtualization modes: one interface, one registry; each mode runs the guest on the VQ32 machine. Standard library only."""
