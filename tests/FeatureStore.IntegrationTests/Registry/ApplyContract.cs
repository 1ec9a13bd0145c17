using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.IntegrationTests.Registry;

/// <summary>Apply, plan, versions, deletion, preconditions and discovery, against the registry on each store.</summary>
public abstract partial class ApplyContract(RegistryHost host)
{
    protected string Project { get; } = $"p_{Guid.NewGuid():N}"[..14];

    private async Task<HttpClient> RegistryAsync() => (await host.StartAsync()).CreateClient();

    [Fact]
    public async Task Apply_creates_everything_and_an_identical_apply_changes_nothing()
    {
        using var registry = await RegistryAsync();
        var first = await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        Assert.Equal(200, first.Status);
        Assert.True(first.Body.GetProperty("applied").GetBoolean());
        Assert.Equal(5, first.Body.GetProperty("summary").GetProperty("create").GetInt32()); // entity, source, view, on-demand view,
                                                                                             // service
        Assert.Equal($"\"project:{Project}:r1\"", first.ETag);

        var again = await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        Assert.False(again.Body.GetProperty("applied").GetBoolean());
        Assert.Equal(5, again.Body.GetProperty("summary").GetProperty("unchanged").GetInt32());
        Assert.Equal(1, again.Body.GetProperty("revision").GetInt64());

        var view = await registry.GetAnswerAsync($"api/v1/feature-views/order_stats?project={Project}");
        Assert.Equal(200, view.Status);
        Assert.Equal("customer_id", view.Body.GetProperty("entities")[0].GetProperty("joinKeys")[0].GetProperty("name").GetString());
        Assert.Equal($"sources/{Project}/orders.parquet", view.Body.GetProperty("source").GetProperty("path").GetString());
        var service = await registry.GetAnswerAsync($"api/v1/feature-services/churn?project={Project}");
        Assert.Equal(["order_stats:orders_7d", "order_stats:spend_30d", "order_stats:channel", "order_ratios:orders_per_day"],
            service.Body.GetProperty("features").EnumerateArray()
                .Select(f => $"{f.GetProperty("view").GetString()}:{f.GetProperty("feature").GetString()}"));
    }

    [Fact]
    public async Task A_change_is_a_new_version_and_every_version_stays_readable()
    {
        using var registry = await RegistryAsync();
        await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        var changed = await registry.ApplyYamlAsync(new SalesRepository(Project) { Ttl = "14d" }.ToString());
        Assert.Equal("update", changed.Change("featureView", "order_stats").GetProperty("action").GetString());
        Assert.Equal([("ttl", "30d", "14d")], changed.Change("featureView", "order_stats").GetProperty("diff").EnumerateArray()
            .Select(d => (d.GetProperty("path").GetString(), d.GetProperty("old").GetString(), d.GetProperty("new").GetString())));

        var latest = await registry.GetAnswerAsync($"api/v1/feature-views/order_stats?project={Project}");
        Assert.Equal(("14d", 2), (latest.Body.GetProperty("ttl").GetString(), latest.Body.GetProperty("version").GetInt32()));
        Assert.Equal("\"featureView:order_stats:v2\"", latest.ETag);
        Assert.Equal("30d",
            (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats@v1?project={Project}")).Body.GetProperty("ttl").GetString());
        Assert.Equal("30d",
            (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats@1?project={Project}")).Body.GetProperty("ttl").GetString());
        Assert.Equal("30d", (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats?version=1&project={Project}"))
            .Body.GetProperty("ttl").GetString());
        Assert.Equal(404, (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats@v3?project={Project}")).Status);
        Assert.Equal(304, (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats?project={Project}", latest.ETag)).Status);
        var versions = await registry.GetAnswerAsync($"api/v1/feature-views/order_stats/versions?project={Project}");
        Assert.Equal([1, 2], versions.Body.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        // The service expands the whole view; the view's change gave it a new version too.
        Assert.Equal(1,
            (await registry.GetAnswerAsync($"api/v1/feature-services/churn?project={Project}")).Body.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_dry_run_reports_the_plan_and_changes_nothing()
    {
        using var registry = await RegistryAsync();
        var plan = await registry.ApplyYamlAsync(new SalesRepository(Project).ToString(), "?dryRun=true");
        Assert.Equal(200, plan.Status);
        Assert.True(plan.Body.GetProperty("dryRun").GetBoolean());
        Assert.False(plan.Body.GetProperty("applied").GetBoolean());
        Assert.All(plan.Body.GetProperty("changes").EnumerateArray(), c => Assert.False(c.GetProperty("executed").GetBoolean()));
        Assert.Equal(404, (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats?project={Project}")).Status);
        Assert.Equal(404, (await registry.GetAnswerAsync($"api/v1/projects/{Project}")).Status);
    }

    [Fact]
    public async Task Changing_an_entity_is_breaking_and_cascades_to_its_views()
    {
        using var registry = await RegistryAsync();
        await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        var refused = await registry.ApplyYamlAsync(new SalesRepository(Project) { JoinKeyType = "string" }.ToString());
        Assert.Equal(409, refused.Status);
        Assert.Contains("entities[0]", refused.ErrorFields);

        var plan = await registry.ApplyYamlAsync(new SalesRepository(Project) { JoinKeyType = "string" }.ToString(),
            "?dryRun=true&force=true");
        Assert.True(plan.Change("entity", "customer").GetProperty("breaking").GetBoolean());
        var cascaded = plan.Change("featureView", "order_stats");
        Assert.Equal("update", cascaded.GetProperty("action").GetString());
        Assert.Contains(cascaded.GetProperty("diff").EnumerateArray(),
            d => d.GetProperty("path").GetString() == "entities[customer].joinKeys[customer_id].type");
    }

    [Fact]
    public async Task Breaking_changes_are_refused_unless_forced_and_refusal_changes_nothing()
    {
        using var registry = await RegistryAsync();
        await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());

        var typeChange = await registry.ApplyYamlAsync(new SalesRepository(Project) { SpendType = "float32" }.ToString());
        Assert.Equal(409, typeChange.Status);
        Assert.Contains("changes type from float64 to float32", typeChange.Text);
        Assert.Equal(1,
            (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats?project={Project}")).Body.GetProperty("version").GetInt32());

        // channel is used by the service (through the whole view); removing it breaks the service's consumers.
        var removal = await registry.ApplyYamlAsync(new SalesRepository(Project) { WithChannel = false }.ToString(), "?dryRun=true");
        Assert.True(removal.Change("featureView", "order_stats").GetProperty("breaking").GetBoolean());
        Assert.Contains("featureService 'churn' uses it", removal.Text);

        var forced = await registry.ApplyYamlAsync(new SalesRepository(Project) { SpendType = "float32" }.ToString(), "?force=true");
        Assert.Equal(200, forced.Status);
        Assert.Equal("float32", (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats?project={Project}")).Body
            .GetProperty("features")[1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Objects_absent_from_the_file_are_deleted_only_with_prune()
    {
        using var registry = await RegistryAsync();
        await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        var withoutServices = new SalesRepository(Project) { WithServices = false }.ToString();

        var kept = await registry.ApplyYamlAsync(withoutServices);
        Assert.Equal(200, kept.Status);
        Assert.False(kept.Change("featureService", "churn").GetProperty("executed").GetBoolean());
        Assert.Equal("delete", kept.Change("featureService", "churn").GetProperty("action").GetString());
        Assert.Equal(200, (await registry.GetAnswerAsync($"api/v1/feature-services/churn?project={Project}")).Status);

        var pruned = await registry.ApplyYamlAsync(withoutServices, "?prune=true");
        Assert.Equal(200, pruned.Status);
        Assert.True(pruned.Change("featureService", "churn").GetProperty("executed").GetBoolean());
        Assert.Equal(404, (await registry.GetAnswerAsync($"api/v1/feature-services/churn?project={Project}")).Status);
        Assert.Equal(410, (await registry.GetAnswerAsync($"api/v1/feature-services/churn@v2?project={Project}")).Status);
        Assert.Equal(200, (await registry.GetAnswerAsync($"api/v1/feature-services/churn@v1?project={Project}")).Status);
        Assert.Equal([false, true], (await registry.GetAnswerAsync($"api/v1/feature-services/churn/versions?project={Project}")).Body
            .EnumerateArray().Select(v => v.GetProperty("deleted").GetBoolean()));

        var recreated = await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        Assert.Equal(3, recreated.Change("featureService", "churn").GetProperty("toVersion").GetInt32());
    }

    [Fact]
    public async Task If_match_makes_an_apply_conditional()
    {
        using var registry = await RegistryAsync();
        Assert.Equal(412, (await registry.ApplyYamlAsync(new SalesRepository(Project).ToString(), ifMatch: "*")).Status);
        var first = await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        var projectTag = first.ETag!;
        var viewTag = (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats?project={Project}")).ETag!;

        Assert.Equal(200,
            (await registry.ApplyYamlAsync(new SalesRepository(Project) { Ttl = "20d" }.ToString(), ifMatch: projectTag)).Status);
        var stale = await registry.ApplyYamlAsync(new SalesRepository(Project) { Ttl = "10d" }.ToString(),
            ifMatch: $"{projectTag}, {viewTag}");
        Assert.Equal(412, stale.Status);
        Assert.Equal(["If-Match", "If-Match"], stale.ErrorFields);
        Assert.Equal("20d",
            (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats?project={Project}")).Body.GetProperty("ttl").GetString());

        var current = await registry.GetAnswerAsync($"api/v1/projects/{Project}");
        Assert.Equal(2, current.Body.GetProperty("revision").GetInt64());
        Assert.Equal(200,
            (await registry.ApplyYamlAsync(new SalesRepository(Project) { Ttl = "10d" }.ToString(), ifMatch: current.ETag)).Status);
    }

    [Fact]
    public async Task Yaml_and_json_say_the_same_thing()
    {
        using var registry = await RegistryAsync();
        await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        var json = YamlDotNetToJson(new SalesRepository(Project).ToString());
        using var response = await registry.PostAsync("api/v1/apply",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        var answer = await Answer.ReadAsync(response);
        Assert.Equal(200, answer.Status);
        Assert.False(answer.Body.GetProperty("applied").GetBoolean());
    }

    [Fact]
    public async Task Pinned_references_keep_pointing_at_their_version()
    {
        using var registry = await RegistryAsync();
        await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        await registry.ApplyYamlAsync(new SalesRepository(Project) { SpendType = "float32" }.ToString(), "?force=true");
        var pinned = new SalesRepository(Project) { SpendType = "float32" }.ToString()
            .Replace("features: [order_stats, \"order_ratios:orders_per_day\"]",
                "features: [\"order_stats@v1:spend_30d\", \"order_stats:spend_30d\"]");
        var applied = await registry.ApplyYamlAsync(pinned);
        Assert.Equal(200, applied.Status);
        var features = (await registry.GetAnswerAsync($"api/v1/feature-services/churn?project={Project}")).Body.GetProperty("features");
        Assert.Equal([("float64", 1), ("float32", 0)], features.EnumerateArray()
            .Select(f => (f.GetProperty("type").GetString(), f.TryGetProperty("pinnedVersion", out var v)
                && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0)));
    }

    [Fact]
    public async Task Lists_filter_by_tag_owner_entity_and_text()
    {
        using var registry = await RegistryAsync();
        await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        async Task<string[]> Names(string query) => (await registry.GetAnswerAsync($"api/v1/{query}&project={Project}")).Body
            .EnumerateArray().Select(o => o.GetProperty("name").GetString()!).ToArray();

        Assert.Equal(["order_stats"], await Names("feature-views?tag=team:growth"));
        Assert.Empty(await Names("feature-views?tag=team:search"));
        Assert.Equal(["order_stats"], await Names("feature-views?tag=team"));
        Assert.Equal(["order_stats"], await Names("feature-views?owner=GROWTH"));
        Assert.Equal(["order_stats"], await Names("feature-views?entity=customer"));
        Assert.Equal(["churn"], await Names("feature-services?entity=customer"));
        Assert.Equal(["order_ratios"], await Names("on-demand-feature-views?entity=customer"));
        Assert.Equal(["order_stats"], await Names("feature-views?q=how customers"));
        Assert.Equal(["order_stats"], await Names("feature-views?q=orders_7d"));
        Assert.Equal(["customer"], await Names("entities?tag=domain:crm"));
        Assert.Equal(["orders"], await Names("data-sources?q=ORD"));

        var hits = (await registry.GetAnswerAsync($"api/v1/features?q=week&project={Project}")).Body;
        Assert.Equal(["order_stats:orders_7d"], hits.EnumerateArray().Select(h => h.GetProperty("ref").GetString()));
        var floats = (await registry.GetAnswerAsync($"api/v1/features?type=float64&project={Project}")).Body;
        Assert.Equal(["order_ratios:orders_per_day", "order_stats:spend_30d"],
            floats.EnumerateArray().Select(h => h.GetProperty("ref").GetString()));
    }

    [Fact]
    public async Task Lineage_follows_a_feature_from_its_source_to_the_services_using_it()
    {
        using var registry = await RegistryAsync();
        await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        var lineage = (await registry.GetAnswerAsync($"api/v1/lineage?feature=order_stats:orders_7d&project={Project}")).Body;
        var edges = lineage.GetProperty("edges").EnumerateArray()
            .Select(e => $"{e.GetProperty("from").GetString()} -> {e.GetProperty("to").GetString()}").ToHashSet();
        Assert.Contains("dataSource:orders -> featureView:order_stats", edges);
        Assert.Contains("entity:customer -> featureView:order_stats", edges);
        Assert.Contains("featureView:order_stats -> feature:order_stats:orders_7d", edges);
        Assert.Contains("feature:order_stats:orders_7d -> feature:order_ratios:orders_per_day", edges);
        Assert.Contains("feature:order_ratios:orders_per_day -> featureService:churn", edges);
        Assert.Contains("feature:order_stats:orders_7d -> featureService:churn", edges);

        var upstream = (await registry.GetAnswerAsync($"api/v1/lineage?feature=order_ratios:orders_per_day&project={Project}")).Body;
        Assert.Contains(upstream.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("id").GetString() == "dataSource:orders");
        Assert.Equal(404, (await registry.GetAnswerAsync($"api/v1/lineage?feature=order_stats:nope&project={Project}")).Status);
    }

    [Fact]
    public async Task Projects_are_listed_with_their_objects()
    {
        using var registry = await RegistryAsync();
        await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        var project = (await registry.GetAnswerAsync("api/v1/projects")).Body.EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == Project);
        Assert.Equal(1, project.GetProperty("objects").GetProperty("featureViews").GetInt32());
        Assert.Equal(1, project.GetProperty("objects").GetProperty("onDemandFeatureViews").GetInt32());
    }

    [Fact]
    public async Task Materialization_history_lists_a_views_jobs_newest_first()
    {
        using var registry = await RegistryAsync();
        await registry.ApplyYamlAsync(new SalesRepository(Project).ToString());
        async Task<Answer> Materialize(int day) => await Answer.ReadAsync(await registry.PostAsync(
            $"api/v1/feature-views/order_stats/materialize?project={Project}",
            new StringContent($$"""{"start":"2024-01-0{{day}}T00:00:00Z","end":"2024-01-0{{day}}T23:00:00Z"}""",
                System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken));
        var first = await Materialize(1);
        Assert.Equal(202, first.Status);
        // No worker runs here: the first job stays pending, so a second is refused until it is cancelled.
        var refused = await Materialize(2);
        Assert.Equal(409, refused.Status);
        Assert.Contains(first.Body.GetProperty("jobId").GetString()!, refused.Text);
        var cancel = await Answer.ReadAsync(await registry.PostAsync(
            $"api/v1/materializations/{first.Body.GetProperty("jobId").GetString()}/cancel", null,
            TestContext.Current.CancellationToken));
        Assert.Equal("cancelled", cancel.Body.GetProperty("status").GetString());
        Assert.Equal(202, (await Materialize(2)).Status);

        var jobs = (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats/materializations?project={Project}")).Body;
        Assert.Equal(["2024-01-02", "2024-01-01"], jobs.EnumerateArray().Select(j => j.GetProperty("windowStart").GetString()![..10]));
        Assert.Equal(["pending", "cancelled"], jobs.EnumerateArray().Select(j => j.GetProperty("status").GetString()));
        Assert.Equal(404, (await registry.GetAnswerAsync($"api/v1/feature-views/nothing/materializations?project={Project}")).Status);
    }

    [Fact]
    public async Task The_sample_repository_applies_as_documented()
    {
        using var registry = await RegistryAsync();
        var sample = (await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "samples", "feature_repo.yaml"),
            TestContext.Current.CancellationToken))
            .Replace("project: churn ", $"project: {Project} ").Replace("sources/churn/", $"sources/{Project}/");
        var plan = await registry.ApplyYamlAsync(sample, "?dryRun=true");
        Assert.True(plan.Status == 200, plan.Text);
        Assert.Equal(15, plan.Body.GetProperty("summary").GetProperty("create").GetInt32());
        Assert.Equal(200, (await registry.ApplyYamlAsync(sample)).Status);
        Assert.False((await registry.ApplyYamlAsync(sample)).Body.GetProperty("applied").GetBoolean());
        var online = (await registry.GetAnswerAsync($"api/v1/feature-services/churn_prediction_online?project={Project}")).Body;
        Assert.Equal(20, online.GetProperty("features").GetArrayLength());
    }

    private static string YamlDotNetToJson(string yaml)
    {
        var errors = new List<FeatureStore.Api.FieldError>();
        var node = FeatureStore.Registry.Definitions.RepositoryDocument.Parse(yaml, yaml: true,
            new FeatureStore.Registry.Definitions.DocumentLimits(), errors);
        Assert.Empty(errors);
        return node!.ToJsonString();
    }
}

public sealed class ApplyOnPostgresTests(PostgresRegistryHost host) : ApplyContract(host), IClassFixture<PostgresRegistryHost>;

public sealed class ApplyOnSqliteTests(SqliteRegistryHost host) : ApplyContract(host), IClassFixture<SqliteRegistryHost>;
