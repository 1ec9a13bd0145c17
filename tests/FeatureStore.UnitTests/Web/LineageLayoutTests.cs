using FeatureStore.Contracts;
using FeatureStore.Web.Lineage;

namespace FeatureStore.UnitTests.Web;

/// <summary>The lineage drawing: every edge points right, a column holds what is equally far downstream.</summary>
public sealed class LineageLayoutTests
{
    private static LineageNodeDto Node(string id) => new(id, id.Split(':')[0], id[(id.IndexOf(':') + 1)..], null);

    [Fact]
    public void A_chain_from_source_to_model_takes_one_column_per_step()
    {
        var ids = new[] { "dataSource:s", "featureView:v", "feature:v:f", "featureService:svc", "model:churn@v1" };
        var placed = LineageLayout.Place(new LineageDto("v:f", ids.Select(Node).ToList(),
            ids.Zip(ids.Skip(1), (from, to) => new LineageEdgeDto(from, to)).ToList()));
        Assert.Equal([0, 1, 2, 3, 4], placed.Select(p => p.Column));
        Assert.All(placed, p => Assert.Equal(0, p.Row));
        Assert.True(LineageLayout.Width(placed) > 4 * LineageLayout.NodeWidth);
    }

    [Fact]
    public void A_node_reached_by_a_short_and_a_long_path_sits_after_the_long_one_and_a_column_stacks_its_nodes()
    {
        // entity → view, source → view, view → feature → service, and the source straight to the service.
        var nodes = new[] { "entity:customer", "dataSource:s", "featureView:v", "feature:v:f", "featureService:svc" }.Select(Node).ToList();
        var edges = new[]
        {
            new LineageEdgeDto("entity:customer", "featureView:v"), new LineageEdgeDto("dataSource:s", "featureView:v"),
            new LineageEdgeDto("featureView:v", "feature:v:f"), new LineageEdgeDto("feature:v:f", "featureService:svc"),
            new LineageEdgeDto("dataSource:s", "featureService:svc"),
        };
        var placed = LineageLayout.Place(new LineageDto("v:f", nodes, edges)).ToDictionary(p => p.Node.Id);
        Assert.Equal((0, 0), (placed["entity:customer"].Column, placed["entity:customer"].Row));
        Assert.Equal((0, 1), (placed["dataSource:s"].Column, placed["dataSource:s"].Row));
        Assert.Equal(3, placed["featureService:svc"].Column);
        Assert.All(edges, e => Assert.True(placed[e.From].Column < placed[e.To].Column, $"{e.From} → {e.To} points left"));
    }

    [Fact]
    public void A_cycle_is_cut_instead_of_looping()
    {
        var placed = LineageLayout.Place(new LineageDto("a:f", [Node("featureView:a"), Node("featureView:b")],
            [new LineageEdgeDto("featureView:a", "featureView:b"), new LineageEdgeDto("featureView:b", "featureView:a")]));
        Assert.Equal(2, placed.Count);
    }
}
