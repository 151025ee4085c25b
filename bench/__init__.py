"""The province-scale benchmark: a generator of agency files and a runner of the real load."""
