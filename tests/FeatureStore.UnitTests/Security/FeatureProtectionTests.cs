using FeatureStore.Domain;
using FeatureStore.Domain.Security;

namespace FeatureStore.UnitTests.Security;

public sealed class FeatureProtectionTests
{
    private static readonly Dictionary<string, string> Pii = new() { ["sensitivity"] = "pii", ["team"] = "crm" };
    private static readonly Dictionary<string, string> Plain = new() { ["team"] = "crm" };

    private static PermissionDefinition Permission(string[] roles, FeatureAction[] actions, Dictionary<string, string>? tags = null,
        string[]? patterns = null, ObjectKind[]? types = null) =>
        new("p", "perm", types ?? [], patterns ?? [], tags ?? [], roles, actions, ObjectMetadata.Empty);

    private static Principal Caller(params string[] roles) => new("k", PrincipalKind.ApiKey, "k", ["p"], roles);

    [Theory]
    [InlineData("customer_*", "customer_profile", true)]
    [InlineData("customer_*", "orders", false)]
    [InlineData("v?", "v1", true)]
    [InlineData("v?", "v10", false)]
    [InlineData("a.b", "axb", false)] // only * and ? are wildcards; the rest is literal (and "." is not a valid pattern)
    public void Name_patterns_use_star_and_question_mark(string pattern, string name, bool covered) =>
        Assert.Equal(covered, Permission(["r"], [FeatureAction.ReadOnline], patterns: [pattern])
            .Covers(ObjectKind.FeatureView, name, Plain));

    [Fact]
    public void A_permission_covers_only_its_kinds_and_objects_with_every_required_tag()
    {
        var permission = Permission(["r"], [FeatureAction.ReadOnline], tags: new() { ["sensitivity"] = "pii" },
            types: [ObjectKind.FeatureView]);
        Assert.True(permission.Covers(ObjectKind.FeatureView, "profile", Pii));
        Assert.False(permission.Covers(ObjectKind.FeatureView, "profile", Plain));
        Assert.False(permission.Covers(ObjectKind.FeatureService, "profile", Pii));
        Assert.False(PermissionDefinition.IsPattern("a.b"));
    }

    [Fact]
    public void A_protected_object_needs_a_covering_grant_of_the_action_to_one_of_the_callers_roles()
    {
        List<PermissionDefinition> permissions =
            [Permission(["pii_reader"], [FeatureAction.ReadOnline], tags: new() { ["sensitivity"] = "pii" })];
        bool May(Principal caller, FeatureAction action, IReadOnlyDictionary<string, string> tags) =>
            FeatureProtection.MayUse(caller, action, ObjectKind.FeatureView, "profile", tags, permissions);

        Assert.True(May(Caller("reader"), FeatureAction.ReadOnline, Plain));
        Assert.False(May(Caller("reader"), FeatureAction.ReadOnline, Pii));
        Assert.True(May(Caller("reader", "pii_reader"), FeatureAction.ReadOnline, Pii));
        Assert.False(May(Caller("reader", "pii_reader"), FeatureAction.ReadOffline, Pii));
        Assert.True(May(Caller("admin"), FeatureAction.ReadOffline, Pii));
        Assert.True(May(Principal.Service, FeatureAction.ReadOffline, Pii));
    }
}
