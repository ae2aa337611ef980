"""Network analyses of the partnership graph: a graph in, a pandas DataFrame (or a graph) out.

Import the topic modules directly (``from analysis.projection import actor_projection``); this
file imports nothing heavy.
"""
