"""The VQ32 machine: instruction table, assembler, disassembler, CPU, MMU, devices, costs. Standard library only."""
