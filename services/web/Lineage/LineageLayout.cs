using FeatureStore.Contracts;

namespace FeatureStore.Web.Lineage;

/// <summary>A lineage node placed on the drawing: its column (how far downstream) and row.</summary>
public sealed record PlacedNode(LineageNodeDto Node, int Column, int Row)
{
    public double X => LineageLayout.Margin + Column * (LineageLayout.NodeWidth + LineageLayout.ColumnGap);
    public double Y => LineageLayout.Margin + Row * (LineageLayout.NodeHeight + LineageLayout.RowGap);
}

/// <summary>
/// Lays a lineage graph out left to right: a node's column is the longest path to it from a node with no inputs, so every edge
/// points right (sources, entities → views → features → on-demand views → services → models); within a column, nodes keep the
/// order the registry gave them.
/// </summary>
public static class LineageLayout
{
    public const double NodeWidth = 220, NodeHeight = 44, ColumnGap = 70, RowGap = 16, Margin = 12;

    public static IReadOnlyList<PlacedNode> Place(LineageDto lineage)
    {
        var inputs = lineage.Nodes.ToDictionary(n => n.Id, _ => new List<string>());
        foreach (var edge in lineage.Edges)
            if (inputs.TryGetValue(edge.To, out var into) && inputs.ContainsKey(edge.From)) into.Add(edge.From);
        var columns = new Dictionary<string, int>();
        int ColumnOf(string id, HashSet<string> visiting)
        {
            if (columns.TryGetValue(id, out var known)) return known;
            if (!visiting.Add(id)) return 0; // a cycle (none is expected): cut it rather than loop
            var column = inputs[id].Count == 0 ? 0 : inputs[id].Max(i => ColumnOf(i, visiting)) + 1;
            visiting.Remove(id);
            return columns[id] = column;
        }
        foreach (var node in lineage.Nodes) ColumnOf(node.Id, []);
        var rows = new Dictionary<int, int>();
        return lineage.Nodes.Select(node =>
        {
            var column = columns[node.Id];
            var row = rows[column] = rows.GetValueOrDefault(column, -1) + 1;
            return new PlacedNode(node, column, row);
        }).ToList();
    }

    public static double Width(IReadOnlyList<PlacedNode> placed) =>
        placed.Count == 0 ? 0 : placed.Max(p => p.X) + NodeWidth + Margin;

    public static double Height(IReadOnlyList<PlacedNode> placed) =>
        placed.Count == 0 ? 0 : placed.Max(p => p.Y) + NodeHeight + Margin;
}
