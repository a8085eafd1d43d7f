"""Transmission chains (传播链): infector links between cases and the chain graph."""
