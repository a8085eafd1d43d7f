"""Care needs (卧床、透析) of vulnerable residents imported from the lists communities keep."""
