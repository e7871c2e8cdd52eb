"""tui-backprop: a terminal step-through debugger for backpropagation."""

__version__ = "0.1.0"
