using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace FeatureStore.Testing;

/// <summary>
/// A private slice of every test server: its own PostgreSQL database, RabbitMQ virtual host, S3
/// bucket and project name, so tests run in parallel without seeing each other. Dropped on dispose.
/// </summary>
public sealed class IsolatedBackends : IAsyncDisposable
{
    private static readonly HttpClient RabbitAdmin = CreateRabbitAdmin();

    public string Id { get; } = $"t{Guid.NewGuid():N}"[..13];
    public string Database => $"fs_{Id}";
    public string VirtualHost => $"fs-{Id}";
    public string Bucket => $"fs-{Id}";
    public string Project => $"p_{Id}";

    public string RegistryConnectionString =>
        new NpgsqlConnectionStringBuilder(TestInfrastructure.Postgres) { Database = Database }.ConnectionString;
    public string MessagingConnectionString => $"{TestInfrastructure.RabbitMq.TrimEnd('/')}/{Uri.EscapeDataString(VirtualHost)}";

    public static async Task<IsolatedBackends> CreateAsync()
    {
        await TestInfrastructure.RequireAsync();
        var backends = new IsolatedBackends();
        await using (var admin = new NpgsqlConnection(TestInfrastructure.Postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{backends.Database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        var vhost = Uri.EscapeDataString(backends.VirtualHost);
        (await RabbitAdmin.PutAsync($"api/vhosts/{vhost}", null)).EnsureSuccessStatusCode();
        var user = Uri.EscapeDataString(TestInfrastructure.RabbitMqManagement.UserInfo.Split(':')[0]);
        (await RabbitAdmin.PutAsync($"api/permissions/{vhost}/{user}",
            new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();
        return backends;
    }

    /// <summary>The environment a service process needs to run on this slice (docs/architecture.md configuration contract).</summary>
    public Dictionary<string, string> ServiceEnvironment() => new()
    {
        ["ConnectionStrings__redis"] = TestInfrastructure.Redis,
        ["ConnectionStrings__registry"] = RegistryConnectionString,
        ["ConnectionStrings__messaging"] = MessagingConnectionString,
        ["ConnectionStrings__minio"] = TestInfrastructure.Minio,
        ["FeatureStore__Bucket"] = Bucket,
    };

    /// <summary>How many messages wait in a queue of this slice's virtual host.</summary>
    public async Task<int> QueueDepthAsync(string queue)
    {
        using var response = await RabbitAdmin.GetAsync($"api/queues/{Uri.EscapeDataString(VirtualHost)}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return 0;
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.TryGetProperty("messages", out var messages)
            && messages.ValueKind == System.Text.Json.JsonValueKind.Number ? messages.GetInt32() : 0;
    }

    /// <summary>Every queue of this slice's virtual host with its message count, for failure messages.</summary>
    public async Task<string> DescribeQueuesAsync()
    {
        using var response = await RabbitAdmin.GetAsync($"api/queues/{Uri.EscapeDataString(VirtualHost)}?columns=name,messages");
        return await response.Content.ReadAsStringAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var admin = new NpgsqlConnection(TestInfrastructure.Postgres);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            await RabbitAdmin.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(VirtualHost)}");
        }
        catch (Exception)
        {
            // Clean-up is best effort: the servers are torn down after the run anyway.
        }
    }

    private static HttpClient CreateRabbitAdmin()
    {
        var management = TestInfrastructure.RabbitMqManagement;
        var client = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority) + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        return client;
    }
}
