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

    [Fact]
    public void A_feature_carries_its_views_tags_with_its_own_over_them_and_an_on_demand_view_inherits_what_it_reads()
    {
        var view = new FeatureViewDefinition("p", "profile", [], new ViewSource("s", SourceKind.Batch, "", "", null),
            [
                new FeatureField("age", FeatureValueType.Int64, Tags: new Dictionary<string, string> { ["sensitivity"] = "pii" }),
                new FeatureField("plan", FeatureValueType.String),
            ],
            TimeSpan.Zero, new ObjectMetadata(null, null, new Dictionary<string, string> { ["team"] = "crm", ["sensitivity"] = "low" }));
        Assert.Equal(Pii, view.TagsOf("age"));
        Assert.Equal("low", view.TagsOf("plan")["sensitivity"]);

        List<PermissionDefinition> permissions =
            [Permission(["pii_reader"], [FeatureAction.ReadOnline], tags: new() { ["sensitivity"] = "pii" })];
        Assert.False(FeatureProtection.MayUse(Caller("reader"), FeatureAction.ReadOnline, view, "age", permissions));
        Assert.True(FeatureProtection.MayUse(Caller("reader"), FeatureAction.ReadOnline, view, "plan", permissions));

        OnDemandFeatureViewDefinition Over(string feature) => new("p", "derived", ["profile"],
            [new OnDemandInput("profile", feature, FeatureValueType.Int64)], [], [], ObjectMetadata.Empty);
        Assert.False(FeatureProtection.MayUse(Caller("reader"), FeatureAction.ReadOnline, Over("age"), _ => view, permissions));
        Assert.True(FeatureProtection.MayUse(Caller("reader"), FeatureAction.ReadOnline, Over("plan"), _ => view, permissions));
        Assert.True(FeatureProtection.MayUse(Caller("reader", "pii_reader"), FeatureAction.ReadOnline, Over("age"), _ => view,
            permissions));
        // A role of one's own reads only what a permission gives it: the on-demand view itself is not covered.
        Assert.False(FeatureProtection.MayUse(Caller("pii_reader"), FeatureAction.ReadOnline, Over("age"), _ => view, permissions));
    }

    [Fact]
    public void A_permission_grants_its_actions_to_its_roles_on_what_it_covers_whatever_the_built_in_roles()
    {
        List<PermissionDefinition> permissions =
            [Permission(["analyst"], [FeatureAction.Materialize, FeatureAction.ReadOnline], patterns: ["customer_*"])];
        bool May(Principal caller, FeatureAction action, string name) =>
            FeatureProtection.MayUse(caller, action, ObjectKind.FeatureView, name, Plain, permissions);

        Assert.True(May(Caller("analyst"), FeatureAction.Materialize, "customer_activity"));
        Assert.False(May(Caller("analyst"), FeatureAction.Materialize, "orders"));
        Assert.False(May(Caller("analyst"), FeatureAction.ReadOffline, "customer_activity"));
        Assert.True(May(Caller("reader"), FeatureAction.ReadOnline, "orders"));
        Assert.False(May(Caller("reader"), FeatureAction.Materialize, "orders"));
        Assert.False(FeatureProtection.CoversProject(permissions[0]));
        Assert.True(FeatureProtection.CoversProject(Permission(["analyst"], [FeatureAction.Describe])));
    }
}
