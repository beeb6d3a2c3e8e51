"""The live room's rules, sans-I/O: typed inputs in, typed outputs out, an injected clock."""
