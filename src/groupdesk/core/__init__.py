"""The pure domain: models, protocol, policy, turns, checklists, crisis. Imports nothing else."""
