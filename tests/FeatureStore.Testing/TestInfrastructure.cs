using System.Data.Common;
using System.Net.Sockets;
using Xunit;

namespace FeatureStore.Testing;

/// <summary>
/// The real servers the tests use, as started by <c>eng/infra.sh</c> (whose <c>env</c> command prints
/// the same settings). When one cannot be reached, a test fails in CI and is skipped elsewhere,
/// saying what is missing and how to start it.
/// </summary>
public static class TestInfrastructure
{
    public static string Redis { get; } = Setting("ConnectionStrings__redis", "127.0.0.1:6390");
    public static string Postgres { get; } = Setting("ConnectionStrings__registry",
        "Host=127.0.0.1;Port=5433;Username=postgres;Database=registry");
    public static string RabbitMq { get; } = Setting("ConnectionStrings__messaging", "amqp://guest:guest@127.0.0.1:5673");
    public static string Minio { get; } = Setting("ConnectionStrings__minio",
        "Endpoint=http://127.0.0.1:9005;AccessKey=S3RVER;SecretKey=S3RVER");
    public static Uri RabbitMqManagement { get; } = new(
        Setting("FeatureStore__Tests__RabbitMqManagement", "http://guest:guest@127.0.0.1:15673"));

    public static bool InCi =>
        Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && !ci.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static readonly Lazy<Task<string?>> Missing = new(FindMissingAsync);

    /// <summary>Call first in every test that needs the servers.</summary>
    public static async Task RequireAsync()
    {
        if (await Missing.Value is not { } missing) return;
        var message = $"Test servers unavailable: {missing}. Start them with `eng/infra.sh start` (or run `eng/test.sh`).";
        if (InCi) Assert.Fail(message);
        Assert.Skip(message);
    }

    private static async Task<string?> FindMissingAsync()
    {
        var redis = Redis.Split(',')[0].Split(':');
        var pg = new DbConnectionStringBuilder { ConnectionString = Postgres };
        var amqp = new Uri(RabbitMq);
        var s3 = new Uri((string)new DbConnectionStringBuilder { ConnectionString = Minio }["Endpoint"]);
        (string Name, string Host, int Port)[] servers =
        [
            ("Redis", redis[0], int.Parse(redis[1])),
            ("PostgreSQL", (string)pg["Host"], Convert.ToInt32(pg["Port"])),
            ("RabbitMQ", amqp.Host, amqp.Port),
            ("RabbitMQ management", RabbitMqManagement.Host, RabbitMqManagement.Port),
            ("S3 (s3rver)", s3.Host, s3.Port),
        ];
        var unreachable = new List<string>();
        foreach (var (name, host, port) in servers)
        {
            using var client = new TcpClient();
            try { await client.ConnectAsync(host, port).WaitAsync(TimeSpan.FromSeconds(2)); }
            catch (Exception) { unreachable.Add($"{name} at {host}:{port}"); }
        }
        return unreachable.Count == 0 ? null : string.Join(", ", unreachable) + " not reachable";
    }

    private static string Setting(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
