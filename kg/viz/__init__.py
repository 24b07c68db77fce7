"""Pages that make the graph navigable: networkx graphs, a deterministic layout, plotly figures.

`graph` reads the store into a typed networkx graph, `layout` places it, `page` and
`charts` draw it, `network` exports it as GraphML/GEXF. Nothing here prints or writes
files except `network.export_network`; `kg viz` (in `kg.cli`) writes the page.
This module imports nothing heavy, so the command line can list the chart names cheaply.
"""

#: The charts `kg viz --chart NAME` can write, in page order (`network` is the graph alone).
CHART_NAMES = ("speedup-by-topic", "speedup-by-hardware", "method-hardware", "papers-per-month")
#: Node types, as the graph's `type` attribute and `kg viz --type` name them.
NODE_TYPE_NAMES = ("paper", "method", "model", "hardware", "claim")
