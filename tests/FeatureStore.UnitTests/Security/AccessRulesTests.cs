using FeatureStore.Domain.Security;

namespace FeatureStore.UnitTests.Security;

public sealed class AccessRulesTests
{
    private static Principal Key(string[] projects, params string[] roles) => new("k", PrincipalKind.ApiKey, "k", projects, roles);

    [Theory]
    [InlineData("reader", FeatureAction.Describe, true)]
    [InlineData("reader", FeatureAction.ReadOnline, true)]
    [InlineData("reader", FeatureAction.ReadOffline, true)]
    [InlineData("reader", FeatureAction.Predict, true)]
    [InlineData("reader", FeatureAction.Create, false)]
    [InlineData("reader", FeatureAction.Materialize, false)]
    [InlineData("reader", FeatureAction.WriteOnline, false)]
    [InlineData("writer", FeatureAction.Create, true)]
    [InlineData("writer", FeatureAction.Delete, true)]
    [InlineData("writer", FeatureAction.Materialize, true)]
    [InlineData("writer", FeatureAction.WriteOffline, true)]
    [InlineData("writer", FeatureAction.Train, true)]
    [InlineData("writer", FeatureAction.Admin, false)]
    [InlineData("admin", FeatureAction.Admin, true)]
    [InlineData("admin", FeatureAction.Internal, false)]
    [InlineData("data-scientist", FeatureAction.Describe, false)]
    public void Built_in_roles_grant_their_actions_and_no_others(string role, FeatureAction action, bool allowed) =>
        Assert.Equal(allowed, AccessRules.Allows(Key(["*"], role), action, "alpha"));

    [Fact]
    public void A_principal_acts_only_in_the_projects_it_covers()
    {
        var alpha = Key(["alpha"], "writer");
        Assert.True(AccessRules.Allows(alpha, FeatureAction.Create, "alpha"));
        Assert.False(AccessRules.Allows(alpha, FeatureAction.Describe, "beta"));
        Assert.True(AccessRules.Allows(alpha, FeatureAction.Describe, project: null));
        Assert.Contains("project 'beta'", AccessRules.Refusal(alpha, FeatureAction.Describe, "beta"));
    }

    [Fact]
    public void Administration_needs_an_admin_over_every_project_and_internal_work_the_service_identity()
    {
        Assert.False(AccessRules.Allows(Key(["alpha"], "admin"), FeatureAction.Admin, null));
        Assert.True(AccessRules.Allows(Key(["*"], "admin"), FeatureAction.Admin, null));
        Assert.True(AccessRules.Allows(Principal.Service, FeatureAction.Internal, "alpha"));
        Assert.False(AccessRules.Allows(Principal.Open, FeatureAction.Internal, null));
        Assert.True(AccessRules.Allows(Principal.Open, FeatureAction.Admin, null));
    }
}
