using System.Net.Http.Headers;
using System.Net.Http.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;

namespace FeatureStore.IntegrationTests.Security;

/// <summary>
/// Projects are isolated in storage (SourceScope) on the standalone host: a source of one project may not name another
/// project's object until that project shares it (a permission over its own source at that path, granting read_offline to the
/// reader in <c>projects</c>), never anything outside <c>sources/</c>; an upload writes only under its own project's prefix;
/// and a share withdrawn after apply stops the next materialization before it reads anything.
/// </summary>
public sealed class SourceScopeTests(StandaloneSecurityHost host) : IClassFixture<StandaloneSecurityHost>
{
    private static readonly DateTime T = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Columns = """
            schema:
              - {name: customer_id, type: int64}
              - {name: event_timestamp, type: timestamp}
              - {name: created, type: timestamp}
              - {name: purchases, type: int64}
              - {name: avg_basket, type: float64}
              - {name: segment, type: string}
        """;

    /// <summary>The owner's repository: its <c>customers</c> source, shared with <paramref name="sharedWith"/> when given.</summary>
    private static string Owner(string owner, string? sharedWith) => $$"""
        project: {{owner}}
        entities:
          - name: customer
            joinKeys: [{name: customer_id, type: int64}]
        sources:
          - name: customers
            path: sources/{{owner}}/customers.parquet
            timestampField: event_timestamp
        {{Columns}}
        """ + (sharedWith is null ? "" : $$"""

        permissions:
          - name: share_customers
            types: [dataSource]
            namePatterns: [customers]
            actions: [read_offline]
            projects: [{{sharedWith}}]
        """);

    /// <summary>The reader's repository: a source at <paramref name="path"/> and a view over it.</summary>
    private static string Reader(string reader, string path) => $$"""
        project: {{reader}}
        entities:
          - name: customer
            joinKeys: [{name: customer_id, type: int64}]
        sources:
          - name: borrowed
            path: {{path}}
            timestampField: event_timestamp
        {{Columns}}
        featureViews:
          - name: purchases
            entities: [customer]
            source: borrowed
            ttl: 30d
            schema: [{name: purchases, type: int64}]
        """;

    private async Task<Answer> ApplyAsync(string yaml, string query = "") => await host.Admin.ApplyYamlAsync(yaml, query);

    private static void Applied(Answer answer) => Assert.True(answer.Status == 200, answer.Text);

    /// <summary>A 400 naming <c>sources[0].path</c> whose reason names <paramref name="named"/>.</summary>
    private static void RefusedAtPath(Answer answer, params string[] named)
    {
        Assert.True(answer.Status == 400, answer.Text);
        Assert.Contains("sources[0].path", answer.ErrorFields);
        var reason = answer.Body.GetProperty("errors").EnumerateArray().First(e => e.GetProperty("name").GetString() == "sources[0].path")
            .GetProperty("reason").GetString()!;
        foreach (var text in named) Assert.Contains(text, reason);
    }

    private async Task<int> StatusOfAsync(string path) => (await host.Admin.GetAnswerAsync(path)).Status;

    [Fact]
    public async Task Another_projects_path_is_refused_at_apply_until_its_owner_shares_it_and_a_path_outside_sources_always()
    {
        const string owner = "scope_owner", reader = "scope_reader";
        const string shared = $"sources/{owner}/customers.parquet";
        Applied(await ApplyAsync(Owner(owner, sharedWith: null)));

        RefusedAtPath(await ApplyAsync(Reader(reader, shared)), $"'{shared}'", $"project '{owner}'", $"'{reader}'");
        Assert.Equal(404, await StatusOfAsync($"api/v1/data-sources/borrowed?project={reader}")); // nothing applied

        // A share with someone else, or a permission for roles only, shares nothing with the reader.
        Applied(await ApplyAsync(Owner(owner, sharedWith: "someone_else")));
        RefusedAtPath(await ApplyAsync(Reader(reader, shared)), $"'{shared}'");

        Applied(await ApplyAsync(Owner(owner, sharedWith: reader)));
        var permission = await host.Admin.GetAnswerAsync($"api/v1/permissions/share_customers?project={owner}");
        Assert.Equal([reader], permission.Body.GetProperty("projects").EnumerateArray().Select(p => p.GetString()));
        Applied(await ApplyAsync(Reader(reader, shared)));
        Assert.Equal(200, await StatusOfAsync($"api/v1/feature-views/purchases?project={reader}"));

        // Only the shared object: another one under the owner's prefix stays the owner's.
        RefusedAtPath(await ApplyAsync(Reader(reader, $"sources/{owner}/other.parquet")), owner);
        // Outside sources/ nothing is ever a source, the reader's own features included.
        RefusedAtPath(await ApplyAsync(Reader(reader, $"offline/{reader}/purchases/v1/date=2024-06-01/part-0.parquet")),
            $"sources/{reader}/");
        RefusedAtPath(await ApplyAsync(Reader(reader, "sources/customers.parquet")), $"sources/{reader}/");
    }

    [Fact]
    public async Task A_shared_path_is_read_for_the_reader_never_written_and_once_withdrawn_a_materialization_fails_naming_it()
    {
        const string owner = "scope_lender", reader = "scope_borrower";
        const string shared = $"sources/{owner}/customers.parquet";
        Applied(await ApplyAsync(Owner(owner, sharedWith: reader)));
        Assert.Equal(200, (await UploadAsync(owner, "customers")).Status);
        Applied(await ApplyAsync(Reader(reader, shared)));

        // The share grants reading: the reader's materialization reads the owner's rows …
        var job = await Materializations.MaterializeAsync(host.Admin, reader, "purchases", T.AddDays(-1), T.AddDays(1),
            () => host.Host.LogTail());
        Assert.Equal(2, job.RowsRead);
        // … but never writing: an upload through the reader's source would replace the owner's data.
        var upload = await UploadAsync(reader, "borrowed");
        Assert.True(upload.Status == 403, upload.Text);
        Assert.Contains(shared, StandaloneSecurityHost.Reason(upload));

        // The owner withdraws the share (applies its file without the permission, pruning it).
        Applied(await ApplyAsync(Owner(owner, sharedWith: null), "?prune=true"));
        Assert.Equal(404, await StatusOfAsync($"api/v1/permissions/share_customers?project={owner}"));

        using var accepted = await host.Admin.PostAsJsonAsync($"api/v1/feature-views/purchases/materialize?project={reader}",
            new { start = T.AddDays(-1), end = T.AddDays(1) }, Ct);
        Assert.True(accepted.StatusCode == System.Net.HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync(Ct));
        var failed = await Materializations.WaitForJobAsync(host.Admin, accepted.Headers.Location!.ToString(), () => host.Host.LogTail());
        Assert.True(failed.Status == JobStatus.Failed, $"{failed.Status}: {failed.Error}");
        Assert.Contains($"'{shared}'", failed.Error);
        Assert.Contains($"project '{reader}'", failed.Error);
        Assert.True(failed.RowsRead is null or 0, $"read {failed.RowsRead} rows");
        // And the reader's next apply of the same file is refused as well.
        RefusedAtPath(await ApplyAsync(Reader(reader, shared)), $"'{shared}'");
    }

    private async Task<Answer> UploadAsync(string project, string source)
    {
        var file = await SourceData.ToParquetAsync(new CustomerStatsRow[]
        {
            new() { customer_id = 1, event_timestamp = T.AddHours(-2), created = T.AddHours(-2), purchases = 5, segment = "new" },
            new() { customer_id = 2, event_timestamp = T.AddHours(-1), created = T.AddHours(-1), purchases = 7, segment = "regular" },
        });
        using var content = new ByteArrayContent(file)
        { Headers = { ContentType = new MediaTypeHeaderValue("application/vnd.apache.parquet") } };
        return await Answer.ReadAsync(await host.Admin.PutAsync($"api/v1/data-sources/{source}/file?project={project}", content, Ct));
    }
}
