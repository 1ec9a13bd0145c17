using System.Text.Json;
using FeatureStore.Domain.Security;
using Microsoft.Data.Sqlite;

namespace FeatureStore.IntegrationTests.Security;

/// <summary>
/// The audit log: applies, key changes, refusals and reads of protected features are recorded with who, what and how it
/// ended; admins query it with filters; the hash chain shows a record changed behind the registry's back. No key's secret is
/// in it, nor in the host's log.
/// </summary>
public sealed class AuditTests(StandaloneSecurityHost host) : IClassFixture<StandaloneSecurityHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Applies_key_changes_refusals_and_protected_reads_are_recorded_and_found_by_filters()
    {
        var applied = await host.Admin.ApplyYamlAsync($$"""
            project: audited
            entities:
              - name: customer
                joinKeys: [{name: customer_id, type: int64}]
            sources:
              - name: people
                path: sources/audited/people.parquet
                timestampField: event_timestamp
                schema:
                  - {name: customer_id, type: int64}
                  - {name: event_timestamp, type: timestamp}
                  - {name: age, type: int64}
            featureViews:
              - name: profile
                entities: [customer]
                source: people
                ttl: 30d
                tags: {sensitivity: pii}
                schema: [{name: age, type: int64}]
            permissions:
              - name: pii_readers
                requiredTags: {sensitivity: pii}
                roles: [pii_reader]
                actions: [read_online]
            """);
        Assert.True(applied.Status == 200, applied.Text);
        var (readerId, reader) = await host.CreateKeyAsync(["audited"], ["reader"]);
        var (clearedId, cleared) = await host.CreateKeyAsync(["audited"], ["reader", "pii_reader"]);
        var online = new { project = "audited", features = new[] { "profile:age" }, entities = new { customer_id = new[] { 1, 2, 3 } } };
        Assert.Equal(403, (await host.SendAsync(HttpMethod.Post, "api/v1/online-features", reader, online)).Status);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Post, "api/v1/online-features", cleared, online)).Status);
        Assert.Equal(403, (await host.SendAsync(HttpMethod.Get, "api/v1/projects/alpha", reader)).Status);
        var (wrongId, wrong) = ApiKeySecret.Create();
        Assert.Equal(401, (await host.SendAsync(HttpMethod.Get, "api/v1/projects", wrong)).Status);

        var apply = await FindAsync("action=apply&project=audited", r => r.GetProperty("outcome").GetString() == "allowed");
        Assert.Contains("featureView/profile (create)", Strings(apply, "objects"));
        Assert.Contains("permission/pii_readers (create)", Strings(apply, "objects"));
        Assert.Equal("bootstrap-admin", apply.GetProperty("principal").GetString());
        Assert.Equal(200, apply.GetProperty("status").GetInt32());

        var created = await FindAsync($"object=apiKey/{readerId}", _ => true);
        Assert.Equal("admin", created.GetProperty("action").GetString());
        Assert.Contains("roles [reader]", created.GetProperty("detail").GetString());

        var refusedRead = await FindAsync($"principal={readerId}&outcome=refused&object=profile:age", _ => true);
        Assert.Equal(["profile:age"], Strings(refusedRead, "features"));
        Assert.Equal("POST /api/v1/online-features", refusedRead.GetProperty("operation").GetString());
        Assert.Equal(403, refusedRead.GetProperty("status").GetInt32());

        var allowedRead = await FindAsync($"principal={clearedId}&object=profile:age", _ => true);
        Assert.Equal("allowed", allowedRead.GetProperty("outcome").GetString());
        Assert.Equal(3, allowedRead.GetProperty("entityRows").GetInt64());
        Assert.Equal("read_online", allowedRead.GetProperty("action").GetString());

        var refusedProject = await FindAsync($"principal={readerId}&project=alpha", _ => true);
        Assert.Contains("project", refusedProject.GetProperty("detail").GetString());

        // A wrong key is named by its id alone, never by what was sent.
        var unknown = await FindAsync($"principal={wrongId}", _ => true);
        Assert.Equal("unverifiedKey", unknown.GetProperty("principalKind").GetString());

        var everything = await host.Admin.GetForJsonAsync("api/v1/admin/audit?limit=1000", Ct);
        foreach (var secret in new[] { TestCredentials.AdminKey, TestCredentials.ServiceKey, reader, cleared, wrong })
        {
            Assert.DoesNotContain(secret, everything.GetRawText());
            Assert.DoesNotContain(secret, await File.ReadAllTextAsync(host.Host.LogPath, Ct));
        }
    }

    [Fact]
    public async Task Only_admins_read_the_audit_log_and_bad_filters_are_named()
    {
        var (_, writer) = await host.CreateKeyAsync(["*"], ["writer"]);
        Assert.Equal(403, (await host.SendAsync(HttpMethod.Get, "api/v1/admin/audit", writer)).Status);
        Assert.Equal(403, (await host.SendAsync(HttpMethod.Get, "api/v1/admin/audit/verify", writer)).Status);
        foreach (var (query, field) in new[] { ("outcome=maybe", "outcome"), ("limit=0", "limit"), ("action=fly", "action"),
                     ("start=2025-01-02T00:00:00Z&end=2025-01-01T00:00:00Z", "end") })
        {
            var answer = await host.SendAsync(HttpMethod.Get, $"api/v1/admin/audit?{query}", TestCredentials.AdminKey);
            Assert.True(answer.Status == 400, answer.Text);
            Assert.Equal([field], answer.ErrorFields);
        }
    }

    [Fact]
    public async Task The_chain_verifies_and_names_the_first_record_changed_behind_the_registrys_back()
    {
        await FindAsync("", _ => true); // the host's own first records have been written
        var intact = await host.Admin.GetForJsonAsync("api/v1/admin/audit/verify", Ct);
        Assert.True(intact.GetProperty("intact").GetBoolean(), intact.GetRawText());
        Assert.True(intact.GetProperty("records").GetInt64() >= 1);

        await using (var database = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "registry.db")}"))
        {
            await database.OpenAsync(Ct);
            await using var tamper = database.CreateCommand();
            tamper.CommandText = "UPDATE audit_log SET principal = 'someone-else' WHERE sequence = 1";
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync(Ct));
        }
        var broken = await host.Admin.GetForJsonAsync("api/v1/admin/audit/verify", Ct);
        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.Equal(1, broken.GetProperty("firstBroken").GetProperty("sequence").GetInt64());
        Assert.Contains("does not match its hash", broken.GetProperty("firstBroken").GetProperty("reason").GetString());
    }

    /// <summary>The newest record matching the query and the predicate, waiting for it (records are written in batches).</summary>
    private async Task<JsonElement> FindAsync(string query, Func<JsonElement, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var page = await host.Admin.GetForJsonAsync($"api/v1/admin/audit?{query}", Ct);
            foreach (var record in page.GetProperty("records").EnumerateArray())
                if (match(record)) return record;
            Assert.True(DateTime.UtcNow < deadline, $"no audit record for '{query}' after 20 s: {page.GetRawText()}");
            await Task.Delay(200, Ct);
        }
    }

    private static List<string> Strings(JsonElement record, string property) =>
        record.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToList();
}
