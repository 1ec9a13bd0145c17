using FeatureStore.Client;

namespace FeatureStore.UnitTests.Sdk;

public sealed class SdkDependencyTests
{
    [Fact]
    public void The_sdk_depends_on_the_contracts_and_nothing_of_the_server()
    {
        var references = typeof(FeatureStoreClient).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("FeatureStore.Contracts", references);
        Assert.All(references.Where(name => name.StartsWith("FeatureStore.", StringComparison.Ordinal)),
            name => Assert.Contains(name, new[] { "FeatureStore.Contracts", "FeatureStore.Domain" }));
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void A_problem_names_its_fields_in_its_message()
    {
        var problem = new FeatureStoreException(400, "Bad Request", null, [new ProblemField("features[0]", "is not a feature")]);
        Assert.Equal("400 Bad Request: features[0]: is not a feature", problem.Message);
        var down = new FeatureStoreException(503, "Service Unavailable", "registry down", []);
        Assert.Equal("503 Service Unavailable: registry down", down.Message);
    }
}
