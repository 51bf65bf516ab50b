"""The HEE talent-pipeline dashboard's read model: stage rules, roll-ups, drill-down, exports, charts and suppression.

Derived from the talent app's records. Besides its own tables it writes two columns of the clinician's profile,
`pipeline_stage` and `pipeline_leader`, which the drill-down lists people by: see pipeline/README.md.
"""
