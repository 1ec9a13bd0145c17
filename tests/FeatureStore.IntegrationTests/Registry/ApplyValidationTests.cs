using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;

namespace FeatureStore.IntegrationTests.Registry;

/// <summary>
/// The bad-input matrix of repository files: every validation rule broken at least once, each answered
/// with a 400 problem naming the field, and nothing changed.
/// </summary>
public sealed class ApplyValidationTests(PostgresRegistryHost host) : IClassFixture<PostgresRegistryHost>
{
    private const string Project = "matrix";

    private static FieldDto F(string name, string type) => new() { Name = name, Type = type };
    private static FeatureFieldDto Feature(string name, string type, ValidationRulesDto? rules = null) =>
        new() { Name = name, Type = type, Validation = rules };
    private static AggregationDto Aggregation(string name, string function, string column, string window) =>
        new() { Name = name, Function = function, Column = column, Window = window };
    private static JsonElement Json(string json) => JsonElement.Parse(json);
    private static PermissionDto Share(List<string?>? projects) =>
        new() { Name = "share", Types = ["dataSource"], Projects = projects, Actions = ["read_offline"] };

    /// <summary>A valid repository touching every kind and most options; each case breaks one rule of it.</summary>
    private static RepositoryDto Valid() => new()
    {
        Project = Project,
        Entities =
        [
            new EntityDto { Name = "customer", JoinKeys = [F("customer_id", "int64")], Tags = new() { ["domain"] = "crm" } },
            new EntityDto { Name = "store", JoinKeys = [F("store_id", "int64")] },
        ],
        Sources =
        [
            new DataSourceDto
            {
                Name = "events", Path = "sources/matrix/events.parquet", TimestampField = "event_timestamp",
                CreatedTimestampField = "created",
                Schema = [F("customer_id", "int64"), F("store_id", "int64"), F("event_timestamp", "timestamp"), F("created", "timestamp"),
                    F("amount", "float64"), F("kind", "string")],
            },
            new DataSourceDto { Name = "events_push", Kind = "push", BatchSource = "events" },
        ],
        FeatureViews =
        [
            new FeatureViewDto
            {
                Name = "spend", Entities = ["customer"], Source = "events", Ttl = "30d", Schedule = "0 * * * *", MaxInvalidRate = 0.01,
                Transformation = new TransformationDto { Sql = "SELECT customer_id, event_timestamp, created, amount, kind FROM source" },
                Aggregations = [Aggregation("total", "sum", "amount", "30d"), Aggregation("kinds", "count_distinct", "kind", "7d")],
                Schema = [Feature("total", "float64", new ValidationRulesDto { Min = 0, Max = 1e9, Default = Json("0") }),
                    Feature("kinds", "int64")],
            },
            new FeatureViewDto
            {
                Name = "basics", Entities = ["customer"], Source = "events_push",
                Schema = [Feature("amount", "float64"), Feature("kind", "string",
                    new ValidationRulesDto { AllowedValues = [Json("\"buy\""), Json("\"view\"")], NotNull = true })],
            },
        ],
        OnDemandFeatureViews =
        [
            new OnDemandFeatureViewDto
            {
                Name = "ratios", Sources = ["spend"], RequestFields = [F("days", "int64")],
                Schema = [new OnDemandFeatureDto { Name = "per_day", Type = "float64", Expression = "total / nullif(days, 0)" }],
            },
        ],
        FeatureServices =
        [
            new FeatureServiceDto
            {
                Name = "churn", Features = ["spend", "ratios:per_day", "basics:kind"],
                Drift = new DriftMonitoringDto
                {
                    Schedule = "0 * * * *", Window = "12h", Reference = "training_set", Thresholds = new DriftThresholdsDto { Psi = 0.25 },
                    Features = new() { ["spend:total"] = new DriftThresholdsDto { KsStatistic = 0.2, MinimumValues = 500 } },
                },
            },
        ],
    };

    private static readonly Dictionary<string, (Action<RepositoryDto> Break, string Field)> Rules = new()
    {
        // the project and names
        ["project name"] = (r => r.Project = "my-project", "project"),
        ["missing entity"] = (r => r.Entities![1] = null, "entities[1]"),
        ["entity name"] = (r => r.Entities![1]!.Name = "2nd", "entities[1].name"),
        ["duplicate entity"] = (r => r.Entities![1]!.Name = "customer", "entities[1].name"),
        ["no join keys"] = (r => r.Entities![1]!.JoinKeys = [], "entities[1].joinKeys"),
        ["join key type"] = (r => r.Entities![1]!.JoinKeys![0]!.Type = "float64", "entities[1].joinKeys[0].type"),
        ["join key repeated"] = (r => r.Entities![1]!.JoinKeys!.Add(F("store_id", "int64")), "entities[1].joinKeys[1].name"),
        ["unknown type"] = (r => r.Entities![1]!.JoinKeys![0]!.Type = "int65", "entities[1].joinKeys[0].type"),
        ["empty tag key"] = (r => r.Entities![0]!.Tags![""] = "x", "entities[0].tags"),
        ["long description"] = (r => r.Entities![0]!.Description = new string('x', 5000), "entities[0].description"),
        ["long owner"] = (r => r.Entities![0]!.Owner = new string('x', 300), "entities[0].owner"),
        // sources
        ["source kind"] = (r => r.Sources![0]!.Kind = "stream", "sources[0].kind"),
        ["source path"] = (r => r.Sources![0]!.Path = "/etc/passwd", "sources[0].path"),
        ["no timestamp field"] = (r => r.Sources![0]!.TimestampField = null, "sources[0].timestampField"),
        ["created equals timestamp"] = (r => r.Sources![0]!.CreatedTimestampField = "event_timestamp", "sources[0].createdTimestampField"),
        ["batch with batch source"] = (r => r.Sources![0]!.BatchSource = "events", "sources[0].batchSource"),
        ["schema lacks timestamp"] = (r => r.Sources![0]!.Schema!.RemoveAt(2), "sources[0].schema"),
        ["timestamp not a timestamp"] = (r => r.Sources![0]!.Schema![3] = F("created", "string"), "sources[0].schema"),
        ["source path of another project"] = (r => r.Sources![0]!.Path = "sources/churn/events.parquet", "sources[0].path"),
        ["source path outside sources"] = (r => r.Sources![0]!.Path = "offline/matrix/spend/v1/part-0.parquet", "sources[0].path"),
        ["source path under no project"] = (r => r.Sources![0]!.Path = "sources/events.parquet", "sources[0].path"),
        ["push with a path"] = (r => r.Sources![1]!.Path = $"sources/{Project}/x.parquet", "sources[1].path"),
        ["push without batch source"] = (r => r.Sources![1]!.BatchSource = null, "sources[1].batchSource"),
        ["push batch source undefined"] = (r => r.Sources![1]!.BatchSource = "nowhere", "sources[1].batchSource"),
        ["push backed by push"] = (r => r.Sources!.Add(new DataSourceDto { Name = "again", Kind = "push", BatchSource = "events_push" }),
            "sources[2].batchSource"),
        // feature views: own fields
        ["view without entities"] = (r => r.FeatureViews![1]!.Entities = [], "featureViews[1].entities"),
        ["view entity repeated"] = (r => r.FeatureViews![1]!.Entities = ["customer", "customer"], "featureViews[1].entities[1]"),
        ["view without source"] = (r => r.FeatureViews![1]!.Source = null, "featureViews[1].source"),
        ["view without schema"] = (r => r.FeatureViews![1]!.Schema = [], "featureViews[1].schema"),
        ["null feature"] = (r => r.FeatureViews![1]!.Schema![0] = null, "featureViews[1].schema[0]"),
        ["feature repeated"] = (r => r.FeatureViews![1]!.Schema![1]!.Name = "amount", "featureViews[1].schema[1].name"),
        ["feature type"] = (r => r.FeatureViews![1]!.Schema![0]!.Type = "decimal", "featureViews[1].schema[0].type"),
        ["ttl"] = (r => r.FeatureViews![0]!.Ttl = "a month", "featureViews[0].ttl"),
        ["empty sql"] = (r => r.FeatureViews![0]!.Transformation = new TransformationDto { Sql = " " },
            "featureViews[0].transformation.sql"),
        ["neither online nor offline"] = (r => (r.FeatureViews![1]!.Online, r.FeatureViews[1]!.Offline) = (false, false),
            "featureViews[1].online"),
        ["cron"] = (r => r.FeatureViews![0]!.Schedule = "every hour", "featureViews[0].schedule"),
        ["invalid rate"] = (r => r.FeatureViews![0]!.MaxInvalidRate = 1.5, "featureViews[0].maxInvalidRate"),
        // validation rules
        ["min on a string"] = (r => r.FeatureViews![1]!.Schema![1]!.Validation!.Min = 1, "featureViews[1].schema[1].validation.min"),
        ["min above max"] = (r => r.FeatureViews![0]!.Schema![0]!.Validation!.Min = 2e9, "featureViews[0].schema[0].validation.max"),
        ["no allowed values"] = (r => r.FeatureViews![1]!.Schema![1]!.Validation!.AllowedValues = [],
            "featureViews[1].schema[1].validation.allowedValues"),
        ["allowed value type"] = (r => r.FeatureViews![1]!.Schema![1]!.Validation!.AllowedValues![1] = Json("3"),
            "featureViews[1].schema[1].validation.allowedValues[1]"),
        ["default type"] = (r => r.FeatureViews![0]!.Schema![0]!.Validation!.Default = Json("\"zero\""),
            "featureViews[0].schema[0].validation.default"),
        ["default not allowed"] = (r => r.FeatureViews![1]!.Schema![1]!.Validation!.Default = Json("\"sell\""),
            "featureViews[1].schema[1].validation.default"),
        ["default out of range"] = (r => r.FeatureViews![0]!.Schema![0]!.Validation!.Default = Json("-1"),
            "featureViews[0].schema[0].validation.default"),
        // aggregations
        ["aggregation not in schema"] = (r => r.FeatureViews![0]!.Aggregations![1]!.Name = "kinds_7d",
            "featureViews[0].aggregations[1].name"),
        ["aggregation function"] = (r => r.FeatureViews![0]!.Aggregations![0]!.Function = "median",
            "featureViews[0].aggregations[0].function"),
        ["aggregation window"] = (r => r.FeatureViews![0]!.Aggregations![0]!.Window = "0", "featureViews[0].aggregations[0].window"),
        ["aggregation repeated"] = (r => r.FeatureViews![0]!.Aggregations![1] = Aggregation("total", "max", "amount", "1d"),
            "featureViews[0].aggregations[1].name"),
        ["aggregation column name"] = (r => r.FeatureViews![0]!.Aggregations![0]!.Column = "amount-usd",
            "featureViews[0].aggregations[0].column"),
        // feature views: references
        ["entity undefined"] = (r => r.FeatureViews![1]!.Entities = ["supplier"], "featureViews[1].entities[0]"),
        ["source undefined"] = (r => r.FeatureViews![1]!.Source = "clicks", "featureViews[1].source"),
        ["join keys clash"] = (r =>
        {
            r.Entities!.Add(new EntityDto { Name = "buyer", JoinKeys = [F("customer_id", "string")] });
            r.FeatureViews![1]!.Entities = ["customer", "buyer"];
        },
            "featureViews[1].entities"),
        ["feature named like a key"] = (r => r.FeatureViews![1]!.Schema![0]!.Name = "customer_id", "featureViews[1].schema[0].name"),
        ["feature with a working prefix"] = (r => r.FeatureViews![1]!.Schema![0]!.Name = "__score", "featureViews[1].schema[0].name"),
        ["feature named like a table column"] = (r => r.FeatureViews![1]!.Schema![0]!.Name = "File_Row_Number",
            "featureViews[1].schema[0].name"),
        // feature views: against the source schema (DuckDB)
        ["sql unknown column"] = (r => r.FeatureViews![0]!.Transformation!.Sql = "SELECT customer_id, event_timestamp, price FROM source",
            "featureViews[0].transformation.sql"),
        ["sql two statements"] = (r => r.FeatureViews![0]!.Transformation!.Sql = "SELECT * FROM source; DELETE FROM source",
            "featureViews[0].transformation.sql"),
        ["sql reads files"] = (r => r.FeatureViews![0]!.Transformation!.Sql = "SELECT * FROM read_parquet('/etc/shadow')",
            "featureViews[0].transformation.sql"),
        ["sql drops the timestamp"] = (r => r.FeatureViews![0]!.Transformation!.Sql = "SELECT customer_id, amount, kind FROM source",
            "featureViews[0].transformation.sql"),
        ["sql drops a join key"] = (r => r.FeatureViews![0]!.Transformation!.Sql = "SELECT event_timestamp, amount, kind FROM source",
            "featureViews[0].entities[0]"),
        ["feature not in source"] = (r => r.FeatureViews![1]!.Schema![0]!.Name = "price", "featureViews[1].schema[0].name"),
        ["feature type against source"] = (r => r.FeatureViews![1]!.Schema![0]!.Type = "string", "featureViews[1].schema[0].type"),
        ["aggregation column missing"] = (r => r.FeatureViews![0]!.Aggregations![0]!.Column = "price",
            "featureViews[0].aggregations[0].column"),
        ["sum of text"] = (r => r.FeatureViews![0]!.Aggregations![0]!.Column = "kind", "featureViews[0].aggregations[0].function"),
        ["aggregation result type"] = (r => r.FeatureViews![0]!.Schema![1]!.Type = "string", "featureViews[0].schema[1].type"),
        ["sql without a schema"] = (r => { r.Sources![0]!.Schema = null; }, "featureViews[0].transformation.sql"),
        // on-demand views
        ["on-demand without sources"] = (r => r.OnDemandFeatureViews![0]!.Sources = [], "onDemandFeatureViews[0].sources"),
        ["on-demand source undefined"] = (r => r.OnDemandFeatureViews![0]!.Sources = ["spending"], "onDemandFeatureViews[0].sources[0]"),
        ["request field repeated"] = (r => r.OnDemandFeatureViews![0]!.RequestFields!.Add(F("days", "int32")),
            "onDemandFeatureViews[0].requestFields[1].name"),
        ["on-demand without schema"] = (r => r.OnDemandFeatureViews![0]!.Schema = [], "onDemandFeatureViews[0].schema"),
        ["no expression"] = (r => r.OnDemandFeatureViews![0]!.Schema![0]!.Expression = "", "onDemandFeatureViews[0].schema[0].expression"),
        ["expression unknown input"] = (r => r.OnDemandFeatureViews![0]!.Schema![0]!.Expression = "total / weeks",
            "onDemandFeatureViews[0].schema[0].expression"),
        ["expression type"] = (r => r.OnDemandFeatureViews![0]!.Schema![0]!.Type = "bool", "onDemandFeatureViews[0].schema[0].type"),
        ["feature named like a request field"] = (r => r.OnDemandFeatureViews![0]!.Schema![0]!.Name = "days",
            "onDemandFeatureViews[0].schema[0].name"),
        ["on-demand named like a view"] = (r => r.OnDemandFeatureViews![0]!.Name = "spend", "onDemandFeatureViews[0].name"),
        // feature services
        ["service without features"] = (r => r.FeatureServices![0]!.Features = [], "featureServices[0].features"),
        ["malformed reference"] = (r => r.FeatureServices![0]!.Features![0] = "spend:total:extra", "featureServices[0].features[0]"),
        ["reference repeated"] = (r => r.FeatureServices![0]!.Features!.Add("spend"), "featureServices[0].features[3]"),
        ["view of reference undefined"] = (r => r.FeatureServices![0]!.Features![1] = "ratio:per_day", "featureServices[0].features[1]"),
        ["feature of reference undefined"] = (r => r.FeatureServices![0]!.Features![2] = "basics:colour", "featureServices[0].features[2]"),
        ["pinned version missing"] = (r => r.FeatureServices![0]!.Features!.Add("spend@v9:total"), "featureServices[0].features[3]"),
        ["whole view undefined"] = (r => r.FeatureServices![0]!.Features![0] = "spending", "featureServices[0].features[0]"),
        ["drift cron"] = (r => r.FeatureServices![0]!.Drift!.Schedule = "hourly", "featureServices[0].drift.schedule"),
        ["drift window"] = (r => r.FeatureServices![0]!.Drift!.Window = "0s", "featureServices[0].drift.window"),
        ["drift reference"] = (r => r.FeatureServices![0]!.Drift!.Reference = "training-set", "featureServices[0].drift.reference"),
        ["drift psi"] = (r => r.FeatureServices![0]!.Drift!.Thresholds!.Psi = 0, "featureServices[0].drift.thresholds.psi"),
        ["drift minimum values"] = (r => r.FeatureServices![0]!.Drift!.Thresholds!.MinimumValues = 1,
            "featureServices[0].drift.thresholds.minimumValues"),
        ["drift feature p-value"] = (r => r.FeatureServices![0]!.Drift!.Features!["spend:total"]!.KsPValue = 1.5,
            "featureServices[0].drift.features.spend:total.ksPValue"),
        ["drift feature not in the service"] = (r => r.FeatureServices![0]!.Drift!.Features!["basics:amount"] = new DriftThresholdsDto(),
            "featureServices[0].drift.features.basics:amount"),
        ["drift feature with a version"] = (r => r.FeatureServices![0]!.Drift!.Features!["spend@v1:total"] = new DriftThresholdsDto(),
            "featureServices[0].drift.features.spend@v1:total"),
        // permissions (a share to other projects needs no role)
        ["permission without roles or projects"] = (r => r.Permissions = [Share(projects: null)], "permissions[0].roles"),
        ["permission project name"] = (r => r.Permissions = [Share(projects: ["other-team"])], "permissions[0].projects[0]"),
        ["permission to its own project"] = (r => r.Permissions = [Share(projects: ["other", Project])], "permissions[0].projects[1]"),
        ["permission project repeated"] = (r => r.Permissions = [Share(projects: ["other", "other"])], "permissions[0].projects[1]"),
        // a kept object (not in this file, prune off) whose reference this file breaks
        ["kept service loses its feature"] = (r => { r.FeatureServices = null; r.FeatureViews![1]!.Schema!.RemoveAt(1); },
            "featureServices[churn].features[2]"),
    };

    public static TheoryData<string> RuleNames => new(Rules.Keys);

    [Theory]
    [MemberData(nameof(RuleNames))]
    public async Task Every_rule_names_its_field_and_changes_nothing(string rule)
    {
        using var registry = (await host.StartAsync()).CreateClient();
        await ApplyAsync(registry, Valid(), expect: 200);
        var before = await RevisionAsync(registry);
        var repository = Valid();
        Rules[rule].Break(repository);

        var answer = await ApplyAsync(registry, repository, expect: 400);

        Assert.True(answer.ErrorFields.Contains(Rules[rule].Field), $"{rule}: expected an error at {Rules[rule].Field}; got {answer.Text}");
        Assert.Equal(before, await RevisionAsync(registry));
    }

    [Fact]
    public async Task The_valid_repository_is_valid_in_yaml_too()
    {
        using var registry = (await host.StartAsync()).CreateClient();
        var json = JsonSerializer.Serialize(Valid(), DefinitionJson.Options);
        Assert.Equal(200, (await registry.ApplyYamlAsync(json)).Status); // JSON is YAML
    }

    public static TheoryData<string, string, int, string> Documents => new()
    {
        { "application/json", """{"project":"matrix","featureViews":[{"name":"x","tll":"1d"}]}""", 400, "featureViews[0].tll" },
        { "application/json", """{"project":"matrix","entities":"customer"}""", 400, "entities" },
        { "application/json", """{"project": "matrix",}""", 400, "body" },
        { "application/yaml", "project: [matrix", 400, "body" },
        { "application/yaml", "", 400, "body" },
        { "application/json", "[1, 2]", 400, "body" },
        { "text/plain", "project: matrix", 415, "" },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Documents_that_cannot_be_read_are_refused_with_where(string mediaType, string body, int status, string field)
    {
        using var registry = (await host.StartAsync()).CreateClient();
        using var response = await registry.PostAsync("api/v1/apply", new StringContent(body, Encoding.UTF8, mediaType),
            TestContext.Current.CancellationToken);
        var answer = await Answer.ReadAsync(response);
        Assert.Equal(status, answer.Status);
        if (status == 415) Assert.Equal("Unsupported Media Type", answer.Body.GetProperty("title").GetString());
        else Assert.Contains(field, answer.ErrorFields);
    }

    [Fact]
    public async Task Query_options_must_be_booleans()
    {
        using var registry = (await host.StartAsync()).CreateClient();
        var answer = await registry.ApplyYamlAsync("project: matrix", "?dryRun=maybe");
        Assert.Equal(400, answer.Status);
        Assert.Contains("dryRun", answer.ErrorFields);
    }

    private static async Task<Answer> ApplyAsync(HttpClient registry, RepositoryDto repository, int expect)
    {
        using var response = await registry.PostAsync("api/v1/apply", JsonContent.Create(repository, options: DefinitionJson.Options),
            TestContext.Current.CancellationToken);
        var answer = await Answer.ReadAsync(response);
        Assert.True(answer.Status == expect, $"expected {expect}, got {answer.Status}: {answer.Text}");
        return answer;
    }

    private static async Task<long> RevisionAsync(HttpClient registry) =>
        (await registry.GetAnswerAsync($"api/v1/projects/{Project}")).Body.GetProperty("revision").GetInt64();
}
