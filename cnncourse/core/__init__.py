"""Small utilities every layer may use: argument checks, timing, progress bars, PyTorch habits.

May import: nothing of cnncourse (the standard library, NumPy, PyTorch).
"""
