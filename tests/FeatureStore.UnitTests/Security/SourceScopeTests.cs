using FeatureStore.Domain;
using FeatureStore.Domain.Security;

namespace FeatureStore.UnitTests.Security;

public sealed class SourceScopeTests
{
    private const string Shared = "sources/churn/customers.parquet";

    private static DataSourceDefinition Source(string name, string path, Dictionary<string, string>? tags = null) =>
        new("churn", name, SourceKind.Batch, path, "event_timestamp", null, null, null, new ObjectMetadata(null, null, tags));

    private static PermissionDefinition Share(string[]? projects, FeatureAction[]? actions = null, ObjectKind[]? types = null,
        string[]? names = null, Dictionary<string, string>? requiredTags = null, string project = "churn") =>
        new(project, "share", types ?? [ObjectKind.DataSource], names ?? [], requiredTags ?? [], [],
            actions ?? [FeatureAction.ReadOffline], ObjectMetadata.Empty, Projects: projects);

    private static readonly DataSourceDefinition[] ChurnSources =
        [Source("customers", Shared), Source("activity", "sources/churn/a.parquet")];

    [Theory]
    [InlineData("relsec", "sources/relsec/customers.parquet")]
    [InlineData("relsec", "sources/relsec/2024/01/part-0.parquet")]
    [InlineData("Relsec_2", "sources/Relsec_2/x")]
    public void A_project_reads_under_its_own_prefix_without_any_permission(string project, string path)
    {
        Assert.Null(SourceScope.Refusal(project, path, [], []));
        Assert.True(SourceScope.IsOwn(project, path));
        Assert.Null(SourceScope.SharerOf(project, path));
    }

    [Theory]
    [InlineData("offline/relsec/view/v1/date=2024-01-01/part-0.parquet")]
    [InlineData("datasets/relsec/training/data.parquet")]
    [InlineData("models/churn/3/model.zip")]
    [InlineData("pushes/relsec/clicks/date=2024-01-01/p.parquet")]
    [InlineData("sources/customers.parquet")]
    [InlineData("sources/relsec")]
    [InlineData("sources/relsec/")]
    [InlineData("sources/relsec/../churn/customers.parquet")]
    [InlineData("sources/relsec/./x.parquet")]
    [InlineData("sources/relsec//x.parquet")]
    [InlineData("sources/not-a-name/x.parquet")]
    [InlineData("/sources/relsec/x.parquet")]
    [InlineData("sources\\relsec\\x.parquet")]
    [InlineData("")]
    public void A_path_under_no_project_prefix_is_refused_whatever_is_declared(string path)
    {
        var reason = SourceScope.Refusal("relsec", path, [Share(["relsec"], project: "relsec")], [Source("any", path)]);
        Assert.NotNull(reason);
        Assert.Contains("sources/relsec/", reason);
        Assert.Null(SourceScope.OwnerOf(path));
    }

    [Fact]
    public void Another_projects_path_is_refused_naming_the_path_and_both_projects_unless_shared()
    {
        var reason = SourceScope.Refusal("relsec", Shared, [], ChurnSources);
        Assert.NotNull(reason);
        Assert.Contains($"'{Shared}'", reason);
        Assert.Contains("project 'churn'", reason);
        Assert.Contains("'relsec'", reason);
        Assert.Equal("churn", SourceScope.SharerOf("relsec", Shared));

        Assert.Null(SourceScope.Refusal("relsec", Shared, [Share(["relsec"])], ChurnSources));
        Assert.Null(SourceScope.Refusal("relsec", Shared, [Share(["other", "relsec"], [FeatureAction.Describe, FeatureAction.ReadOffline],
            types: [], names: ["cust*"])], ChurnSources));
    }

    public static TheoryData<string, PermissionDefinition> NotShares => new()
    {
        { "to another project", Share(["other"]) },
        { "to no project (roles only)", Share(null) },
        { "without read_offline", Share(["relsec"], [FeatureAction.ReadOnline, FeatureAction.Describe]) },
        { "over other kinds", Share(["relsec"], types: [ObjectKind.FeatureView, ObjectKind.Entity]) },
        { "over other names", Share(["relsec"], names: ["activity", "cust"]) },
        { "requiring a tag the source lacks", Share(["relsec"], requiredTags: new() { ["share"] = "yes" }) },
        { "declared by another project", Share(["relsec"], project: "third") },
    };

    [Theory]
    [MemberData(nameof(NotShares))]
    public void A_permission_shares_only_when_it_covers_the_owners_source_grants_read_offline_and_lists_the_reader(string what,
        PermissionDefinition permission) =>
        Assert.True(SourceScope.Refusal("relsec", Shared, [permission], ChurnSources) is not null, what);

    [Fact]
    public void Only_the_object_of_a_covered_source_is_shared_and_a_source_is_covered_with_its_tags()
    {
        // The share covers 'activity' only: its path is readable, the customers object beside it is not.
        var activityOnly = Share(["relsec"], names: ["activity"]);
        Assert.Null(SourceScope.Refusal("relsec", "sources/churn/a.parquet", [activityOnly], ChurnSources));
        Assert.NotNull(SourceScope.Refusal("relsec", Shared, [activityOnly], ChurnSources));
        // A path no source of the owner names is never shared, even by a permission over everything.
        Assert.NotNull(SourceScope.Refusal("relsec", "sources/churn/secret.parquet", [Share(["relsec"], types: [])], ChurnSources));

        var tagged = Share(["relsec"], requiredTags: new() { ["share"] = "yes" });
        Assert.Null(SourceScope.Refusal("relsec", Shared, [tagged],
            [Source("customers", Shared, new() { ["share"] = "yes", ["owner"] = "crm" })]));
    }

    [Fact]
    public void Writing_is_only_ever_under_the_projects_own_prefix()
    {
        Assert.Null(SourceScope.WriteRefusal("relsec", "sources/relsec/x.parquet"));
        var reason = SourceScope.WriteRefusal("relsec", Shared);
        Assert.NotNull(reason);
        Assert.Contains(Shared, reason);
        Assert.Contains("sources/relsec/", reason);
        Assert.NotNull(SourceScope.WriteRefusal("relsec", "offline/relsec/x.parquet"));
    }

    [Fact]
    public async Task At_run_time_the_owners_current_definitions_decide_and_an_own_path_reads_none()
    {
        var listed = new List<(string, ObjectKind)>();
        IReadOnlyList<IRegistryDefinition> permissions = [Share(["relsec"])];
        Task<IReadOnlyList<IRegistryDefinition>> List(string project, ObjectKind kind, CancellationToken _)
        {
            listed.Add((project, kind));
            return Task.FromResult(kind == ObjectKind.Permission ? permissions : (IReadOnlyList<IRegistryDefinition>)ChurnSources);
        }
        var ct = TestContext.Current.CancellationToken;

        Assert.Null(await SourceScope.RefusalAsync("relsec", "sources/relsec/x.parquet", List, ct));
        Assert.Empty(listed);
        Assert.Null(await SourceScope.RefusalAsync("relsec", Shared, List, ct));
        Assert.Equal([("churn", ObjectKind.Permission), ("churn", ObjectKind.DataSource)], listed);

        permissions = [];
        Assert.Contains("does not share it", await SourceScope.RefusalAsync("relsec", Shared, List, ct));
    }

    [Fact]
    public void A_permission_stored_before_projects_existed_still_reads_and_writes_no_projects()
    {
        const string stored = """
            {"project":"churn","name":"p","types":[],"namePatterns":[],"requiredTags":{},"roles":["analyst"],
             "actions":["read_offline"],"metadata":{"tags":{}},"version":3}
            """;
        var permission = (PermissionDefinition)DefinitionJson.Deserialize(ObjectKind.Permission, stored);
        Assert.Null(permission.Projects);
        Assert.Equal(3, permission.Version);
        Assert.DoesNotContain("projects", DefinitionJson.Serialize(permission));
        Assert.Contains("\"projects\":[\"relsec\"]", DefinitionJson.Serialize(Share(["relsec"])));
        Assert.Equal(["relsec"], ((PermissionDefinition)DefinitionJson.Deserialize(ObjectKind.Permission,
            DefinitionJson.Serialize(Share(["relsec"])))).Projects);
    }
}
